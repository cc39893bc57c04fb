package dev.gobstopper.tasks;

import java.time.Instant;

/**
 * The tasks that finished within one interval of time.
 *
 * @param start the start of the interval, a multiple of its length since the epoch
 * @param succeeded the tasks that ended in {@link TaskStatus#SUCCESS}
 * @param failed the tasks that ended in {@link TaskStatus#FAILED}
 * @param cancelled the tasks that ended in {@link TaskStatus#CANCELLED}
 */
public record TaskCompletionBucket(Instant start, long succeeded, long failed, long cancelled) {

	/**
	 * Return the number of tasks that finished in the interval.
	 * @return succeeded + failed + cancelled
	 */
	public long total() {
		return this.succeeded + this.failed + this.cancelled;
	}

}
