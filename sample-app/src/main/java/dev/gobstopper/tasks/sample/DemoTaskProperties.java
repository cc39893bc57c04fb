package dev.gobstopper.tasks.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many demo tasks run at once and how many may wait.
 *
 * @param threads demo tasks that run at once
 * @param queueCapacity demo tasks that may wait for a thread; more are refused
 */
@ConfigurationProperties("demo-tasks")
record DemoTaskProperties(@DefaultValue("2") int threads, @DefaultValue("100") int queueCapacity) {

	DemoTaskProperties {
		if (threads < 1) {
			throw new IllegalArgumentException("demo-tasks.threads must be at least 1, got " + threads);
		}
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("demo-tasks.queue-capacity must be at least 1, got " + queueCapacity);
		}
	}

}
