package dev.gobstopper.tasks.autoconfigure;

import java.time.Duration;

import dev.gobstopper.tasks.TaskStorage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes old finished tasks on the {@code gobstopper.tasks.cleanup.cron} schedule.
 */
class TaskStorageCleanup {

	private static final Log logger = LogFactory.getLog(TaskStorageCleanup.class);

	private final TaskStorage taskStorage;

	private final Duration retention;

	TaskStorageCleanup(TaskStorage taskStorage, Duration retention) {
		this.taskStorage = taskStorage;
		this.retention = retention;
	}

	@Scheduled(cron = "${gobstopper.tasks.cleanup.cron:" + TaskStorageProperties.Cleanup.DEFAULT_CRON + "}")
	void cleanup() {
		int deleted = this.taskStorage.cleanupOldTasks(this.retention);
		logger.info("Deleted " + deleted + " finished task(s) that completed more than " + this.retention + " ago");
	}

}
