package dev.gobstopper.tasks.autoconfigure;

import dev.gobstopper.tasks.TaskStorage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Returns the tasks whose worker let its lease expire to be claimed again, every
 * {@code gobstopper.tasks.leases.reclaim-interval}.
 */
class TaskLeaseReclaim {

	private static final Log logger = LogFactory.getLog(TaskLeaseReclaim.class);

	private final TaskStorage taskStorage;

	private final int batch;

	TaskLeaseReclaim(TaskStorage taskStorage, int batch) {
		this.taskStorage = taskStorage;
		this.batch = batch;
	}

	@Scheduled(fixedDelayString = "${gobstopper.tasks.leases.reclaim-interval:"
			+ TaskStorageProperties.Leases.DEFAULT_RECLAIM_INTERVAL + "}",
			scheduler = TaskStorageSchedulingAutoConfiguration.SCHEDULER)
	void reclaim() {
		int reclaimed = this.taskStorage.reclaimExpiredLeases(this.batch);
		if (reclaimed > 0) {
			logger.info("Returned " + reclaimed + " task(s) whose lease expired to be claimed again");
		}
	}

}
