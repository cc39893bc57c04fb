package dev.gobstopper.tasks.autoconfigure.metrics;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the task storage's {@link TaskStorageMetrics}, when Micrometer
 * is on the class path and a meter registry is configured. Spring Boot binds them to
 * its registries; an application's own {@code TaskStorageMetrics} bean makes it back
 * off.
 */
@AutoConfiguration(after = TaskStorageAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ TaskStorage.class, MeterRegistry.class })
public final class TaskStorageMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskStorageMetrics gobstopperTasksMetrics(TaskStorage taskStorage) {
		return new TaskStorageMetrics(taskStorage);
	}

}
