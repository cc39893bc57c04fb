package dev.gobstopper.tasks.autoconfigure;

import java.time.Duration;

import dev.gobstopper.tasks.TaskStorage;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the scheduled deletion of old finished tasks from the
 * {@link TaskStorage}, whether auto-configured or the application's own. It enables
 * Spring's scheduling, and comes before Boot's task scheduling so that Boot's scheduler
 * runs it.
 */
@AutoConfiguration(after = TaskStorageAutoConfiguration.class, before = TaskSchedulingAutoConfiguration.class)
@ConditionalOnBean(TaskStorage.class)
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.cleanup.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskStorageProperties.class)
@EnableScheduling
public final class TaskStorageCleanupAutoConfiguration {

	@Bean
	TaskStorageCleanup taskStorageCleanup(TaskStorage taskStorage, TaskStorageProperties properties) {
		Duration retention = properties.getCleanup().getRetention();
		if (retention.isNegative() || retention.isZero()) {
			throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.cleanup.retention", retention,
					"The retention must be positive; to keep every task, set gobstopper.tasks.cleanup.enabled=false");
		}
		return new TaskStorageCleanup(taskStorage, retention);
	}

}
