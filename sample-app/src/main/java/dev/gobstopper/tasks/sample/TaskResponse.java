package dev.gobstopper.tasks.sample;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskInfo;
import org.jspecify.annotations.Nullable;

/**
 * A task as the API shows it. Status and priority appear as the values the storage keeps
 * (such as {@code "success"} and {@code 2}), the same values the list endpoint filters
 * on.
 *
 * @param id the unique id
 * @param name the name of the task function
 * @param category the queue the task belongs to
 * @param priority the priority, from 1 (low) to 4 (critical)
 * @param status the life-cycle state: pending, started, success, failed, cancelled or
 * retry
 * @param createdAt when the task was created
 * @param startedAt when execution began, or {@code null}
 * @param completedAt when execution finished, or {@code null}
 * @param elapsedSeconds how long execution took
 * @param result the JSON value the task returned, or {@code null}
 * @param error the error message of a task that did not succeed, or {@code null}
 * @param retryCount the retries made so far
 * @param maxRetries the retries allowed
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param progress the percentage done, from 0 to 100
 * @param progressMessage a human-readable progress message
 */
record TaskResponse(String id, String name, String category, int priority, String status, Instant createdAt,
		@Nullable Instant startedAt, @Nullable Instant completedAt, double elapsedSeconds, @Nullable Object result,
		@Nullable String error, int retryCount, int maxRetries, List<@Nullable Object> args,
		Map<String, @Nullable Object> kwargs, double progress, String progressMessage) {

	static TaskResponse from(TaskInfo task) {
		return new TaskResponse(task.id(), task.name(), task.category(), task.priority().value(),
				task.status().value(), task.createdAt(), task.startedAt(), task.completedAt(), task.elapsedSeconds(),
				task.result(), task.error(), task.retryCount(), task.maxRetries(), task.args(), task.kwargs(),
				task.progress(), task.progressMessage());
	}

}
