package dev.gobstopper.tasks.autoconfigure.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} of the task storage: how many tasks there are and what they
 * did over the last 24 hours; one task, with its payloads ({@code result}, {@code args},
 * {@code kwargs} and {@code error}) masked unless values are shown; deleting a task; and
 * running cleanup with a given retention.
 * <p>
 * The two operations that change the storage follow the endpoint's access setting, so
 * {@code management.endpoint.gobstoppertasks.access=read-only} leaves only the reads.
 */
@Endpoint(id = "gobstoppertasks")
public class TaskStorageEndpoint {

	/** How far back the statistics by name reach. */
	static final Duration STATISTICS_PERIOD = Duration.ofHours(24);

	private final TaskStorage storage;

	private final Sanitizer sanitizer;

	private final Show showValues;

	private final Clock clock;

	/**
	 * Create an endpoint.
	 * @param storage the storage it describes and changes
	 * @param sanitizingFunctions the functions that may mask payloads further when they
	 * are shown
	 * @param showValues when to show payloads
	 * @param clock the clock that tells when the last 24 hours began
	 */
	public TaskStorageEndpoint(TaskStorage storage, Iterable<SanitizingFunction> sanitizingFunctions, Show showValues,
			Clock clock) {
		this.storage = storage;
		this.sanitizer = new Sanitizer(sanitizingFunctions);
		this.showValues = showValues;
		this.clock = clock;
	}

	/**
	 * Return the counts of the tasks, in all and per status, and the statistics by name
	 * and category of the tasks created in the last 24 hours.
	 * @return the counts and statistics
	 */
	@ReadOperation
	public TaskStorageDescriptor tasks() {
		TaskCounts counts = this.storage.countTasks(null);
		Map<String, Long> byStatus = new LinkedHashMap<>();
		for (TaskStatus status : TaskStatus.values()) {
			byStatus.put(status.value(), counts.count(status));
		}
		Instant since = this.clock.instant().minus(STATISTICS_PERIOD);
		return new TaskStorageDescriptor(new CountsDescriptor(counts.total(), byStatus),
				new StatisticsDescriptor(since, this.storage.statisticsByName(since)));
	}

	/**
	 * Return a task, its payloads masked unless values are shown. Over JMX, values shown
	 * "when authorized" are shown.
	 * @param id the task's id
	 * @return the task, or {@code null} if there is none
	 */
	@ReadOperation
	public @Nullable TaskDescriptor task(@Selector String id) {
		return task(id, this.showValues.isShown(true));
	}

	/**
	 * Return a task.
	 * @param id the task's id
	 * @param showUnsanitized whether to show its payloads
	 * @return the task, or {@code null} if there is none
	 */
	@Nullable TaskDescriptor task(String id, boolean showUnsanitized) {
		return this.storage.getTask(id)
			.map((task) -> TaskDescriptor.of(task, (key, value) -> this.sanitizer
				.sanitize(new SanitizableData(null, key, value), showUnsanitized)))
			.orElse(null);
	}

	/**
	 * Delete a task.
	 * @param id the task's id
	 * @return whether a task was deleted
	 */
	@DeleteOperation
	public DeletedTaskDescriptor deleteTask(@Selector String id) {
		return new DeletedTaskDescriptor(id, this.storage.deleteTask(id));
	}

	/**
	 * Delete the finished tasks that completed longer ago than the retention.
	 * @param retention how long to keep finished tasks, such as {@code 30d} or
	 * {@code P30D}; positive, as the dashboard's
	 * @return how many tasks were deleted
	 */
	@WriteOperation
	public CleanupDescriptor cleanup(Duration retention) {
		if (retention.isNegative() || retention.isZero()) {
			String message = "retention must be positive, got " + retention;
			throw new InvalidEndpointRequestException(message, message);
		}
		try {
			return new CleanupDescriptor(retention, this.storage.cleanupOldTasks(retention));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage(), ex);
		}
	}

	/**
	 * How many tasks there are, and what they did lately.
	 *
	 * @param counts the counts of the tasks
	 * @param statistics the statistics of the last 24 hours
	 */
	public record TaskStorageDescriptor(CountsDescriptor counts,
			StatisticsDescriptor statistics) implements OperationResponseBody {

	}

	/**
	 * How many tasks there are.
	 *
	 * @param total the number of tasks
	 * @param byStatus the number of tasks per stored status value, such as
	 * {@code pending}
	 */
	public record CountsDescriptor(long total, Map<String, Long> byStatus) {

	}

	/**
	 * What the tasks created since a time did, per name and category.
	 *
	 * @param since the earliest creation time included
	 * @param byName the statistics, the names with the most tasks first
	 */
	public record StatisticsDescriptor(Instant since, List<TaskNameStatistics> byName) {

	}

	/**
	 * A deletion of a task.
	 *
	 * @param id the task's id
	 * @param deleted whether a task was deleted
	 */
	public record DeletedTaskDescriptor(String id, boolean deleted) implements OperationResponseBody {

	}

	/**
	 * A cleanup of old finished tasks.
	 *
	 * @param retention how long finished tasks were kept
	 * @param deleted how many tasks were deleted
	 */
	public record CleanupDescriptor(Duration retention, int deleted) implements OperationResponseBody {

	}

}
