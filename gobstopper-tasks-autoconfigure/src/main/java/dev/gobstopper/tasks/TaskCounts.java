package dev.gobstopper.tasks;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many tasks there are, in all and per status.
 *
 * @param total the number of tasks
 * @param byStatus the number of tasks in each status; every status is present, with 0
 * where there are none
 */
public record TaskCounts(long total, Map<TaskStatus, Long> byStatus) {

	public TaskCounts {
		Map<TaskStatus, Long> complete = new EnumMap<>(TaskStatus.class);
		for (TaskStatus status : TaskStatus.values()) {
			complete.put(status, byStatus.getOrDefault(status, 0L));
		}
		byStatus = Collections.unmodifiableMap(complete);
	}

	/**
	 * Return the number of tasks in the given status.
	 * @param status the status
	 * @return the number of tasks
	 */
	public long count(TaskStatus status) {
		return this.byStatus.get(status);
	}

}
