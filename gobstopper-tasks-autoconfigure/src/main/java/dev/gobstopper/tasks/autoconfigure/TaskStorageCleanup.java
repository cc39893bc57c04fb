package dev.gobstopper.tasks.autoconfigure;

import java.time.Duration;
import java.util.OptionalInt;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.support.AbstractTaskStorage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes old finished tasks on the {@code gobstopper.tasks.cleanup.cron} schedule. A
 * store shared by several instances runs it on one of them at a time.
 */
class TaskStorageCleanup {

	private static final Log logger = LogFactory.getLog(TaskStorageCleanup.class);

	private final TaskStorage taskStorage;

	private final Duration retention;

	TaskStorageCleanup(TaskStorage taskStorage, Duration retention) {
		this.taskStorage = taskStorage;
		this.retention = retention;
	}

	@Scheduled(cron = "${gobstopper.tasks.cleanup.cron:" + TaskStorageProperties.Cleanup.DEFAULT_CRON + "}",
			scheduler = TaskStorageSchedulingAutoConfiguration.SCHEDULER)
	void cleanup() {
		OptionalInt deleted = (this.taskStorage instanceof AbstractTaskStorage storage)
				? storage.cleanupOnSchedule(this.retention)
				: OptionalInt.of(this.taskStorage.cleanupOldTasks(this.retention));
		if (deleted.isPresent()) {
			logger.info("Deleted " + deleted.getAsInt() + " finished task(s) that completed more than "
					+ this.retention + " ago");
		}
		else {
			logger.debug("Skipped the cleanup: another instance is running it");
		}
	}

}
