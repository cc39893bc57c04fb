package dev.gobstopper.tasks.autoconfigure;

import java.time.Duration;

import dev.gobstopper.tasks.TaskStorage;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the task storage's own schedules: the deletion of old finished
 * tasks and the reclaim of expired leases, whether the storage is auto-configured or the
 * application's own.
 * <p>
 * Spring's scheduling is enabled while either is. They run on a scheduler of the
 * starter's own, whose threads are daemon threads, so that they never keep a JVM alive
 * that has nothing else to do. The scheduler is not a default
 * candidate: Boot's task scheduler is still configured, and the application's own
 * {@code @Scheduled} methods still run on it.
 */
@AutoConfiguration(after = TaskStorageAutoConfiguration.class, before = TaskSchedulingAutoConfiguration.class)
@ConditionalOnBean(TaskStorage.class)
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskStorageProperties.class)
public final class TaskStorageSchedulingAutoConfiguration {

	/** The bean name of the starter's scheduler, as its {@code @Scheduled} methods name it. */
	static final String SCHEDULER = "gobstopperTasksScheduler";

	private static final String CLEANUP_ENABLED = "gobstopper.tasks.cleanup.enabled";

	private static final String RECLAIM_ENABLED = "gobstopper.tasks.leases.reclaim-enabled";

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnAnyScheduleCondition.class)
	@EnableScheduling
	static class SchedulerConfiguration {

		@Bean(name = SCHEDULER, defaultCandidate = false)
		ThreadPoolTaskScheduler gobstopperTasksScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("gobstopper-tasks-schedule-");
			scheduler.setDaemon(true);
			return scheduler;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = CLEANUP_ENABLED, matchIfMissing = true)
	static class CleanupConfiguration {

		@Bean
		TaskStorageCleanup taskStorageCleanup(TaskStorage taskStorage, TaskStorageProperties properties) {
			Duration retention = properties.getCleanup().getRetention();
			if (retention.isNegative() || retention.isZero()) {
				throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.cleanup.retention", retention,
						"The retention must be positive; to keep every task, set gobstopper.tasks.cleanup.enabled=false");
			}
			String cron = properties.getCleanup().getCron();
			if (!Scheduled.CRON_DISABLED.equals(cron) && !CronExpression.isValidExpression(cron)) {
				throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.cleanup.cron", cron,
						"Not a cron expression of six fields (second, minute, hour, day of month, month, day of week), "
								+ "such as \"0 0 3 * * *\", nor \"-\" to disable the schedule");
			}
			return new TaskStorageCleanup(taskStorage, retention);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = RECLAIM_ENABLED, matchIfMissing = true)
	static class LeaseReclaimConfiguration {

		@Bean
		TaskLeaseReclaim taskLeaseReclaim(TaskStorage taskStorage, TaskStorageProperties properties) {
			TaskStorageProperties.Leases leases = properties.getLeases();
			Duration interval = leases.getReclaimInterval();
			if (interval.isNegative() || interval.isZero()) {
				throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.leases.reclaim-interval",
						interval, "The interval must be positive");
			}
			if (leases.getReclaimBatch() < 1) {
				throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.leases.reclaim-batch",
						leases.getReclaimBatch(), "At least one task must be reclaimed per round");
			}
			return new TaskLeaseReclaim(taskStorage, leases.getReclaimBatch());
		}

	}

	static class OnAnyScheduleCondition extends AnyNestedCondition {

		OnAnyScheduleCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty(name = CLEANUP_ENABLED, matchIfMissing = true)
		static class CleanupEnabled {

		}

		@ConditionalOnBooleanProperty(name = RECLAIM_ENABLED, matchIfMissing = true)
		static class ReclaimEnabled {

		}

	}

}
