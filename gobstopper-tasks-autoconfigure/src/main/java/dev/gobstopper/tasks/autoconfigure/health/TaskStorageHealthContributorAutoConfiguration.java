package dev.gobstopper.tasks.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the task storage's health check, named {@code gobstopperTasks},
 * when Spring Boot's health support is on the class path. It backs off for an
 * application's own bean of that name, and is switched off with
 * {@code management.health.gobstoppertasks.enabled=false}.
 */
@AutoConfiguration(after = TaskStorageAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(TaskStorage.class)
@ConditionalOnEnabledHealthIndicator("gobstoppertasks")
@EnableConfigurationProperties(TaskStorageHealthIndicatorProperties.class)
public final class TaskStorageHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "gobstopperTasksHealthIndicator", "gobstopperTasksHealthContributor" })
	TaskStorageHealthIndicator gobstopperTasksHealthIndicator(TaskStorage taskStorage,
			TaskStorageHealthIndicatorProperties properties, ObjectProvider<Clock> clock) {
		Duration threshold = properties.getFailureThreshold();
		if (threshold.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("management.health.gobstoppertasks.failure-threshold",
					threshold, "The threshold must not be negative");
		}
		return new TaskStorageHealthIndicator(taskStorage, threshold, clock.getIfUnique(Clock::systemUTC));
	}

}
