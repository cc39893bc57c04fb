package dev.gobstopper.tasks.sample;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The thread pool that runs demo tasks.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoTaskProperties.class)
class DemoTaskConfiguration {

	/**
	 * Not a default candidate, so Boot still auto-configures the application's own task
	 * executor, and only the demo task runner, which asks for it by name, uses this one.
	 */
	@Bean(defaultCandidate = false, destroyMethod = "shutdownNow")
	ExecutorService demoTaskExecutor(DemoTaskProperties properties) {
		return new ThreadPoolExecutor(properties.threads(), properties.threads(), 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(properties.queueCapacity()), new CustomizableThreadFactory("demo-task-"));
	}

}
