package dev.gobstopper.tasks;

import java.time.Duration;

/**
 * What the tasks of one name and category did: how many, how they ended, how long the
 * finished ones took and how often they were retried.
 * <p>
 * The durations are continuous quantiles of the {@link TaskInfo#elapsedSeconds()} of the
 * finished tasks ({@link TaskStatus#isTerminal() terminal} status), to the microsecond;
 * they are zero when none finished.
 *
 * @param name the task name
 * @param category the category
 * @param total the number of tasks
 * @param succeeded the tasks that ended in {@link TaskStatus#SUCCESS}
 * @param failed the tasks that ended in {@link TaskStatus#FAILED}
 * @param cancelled the tasks that ended in {@link TaskStatus#CANCELLED}
 * @param failureRate failed / (succeeded + failed + cancelled), 0 when none finished
 * @param p50 the median duration of the finished tasks
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param max the longest duration
 * @param meanRetries the mean {@link TaskInfo#retryCount()} of all the tasks
 */
public record TaskNameStatistics(String name, String category, long total, long succeeded, long failed,
		long cancelled, double failureRate, Duration p50, Duration p95, Duration p99, Duration max,
		double meanRetries) {

}
