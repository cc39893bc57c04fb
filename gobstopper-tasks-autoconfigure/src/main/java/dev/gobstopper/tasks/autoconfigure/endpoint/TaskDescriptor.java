package dev.gobstopper.tasks.autoconfigure.endpoint;

import java.time.Instant;
import java.util.function.BiFunction;

import dev.gobstopper.tasks.TaskInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * A task as the endpoint shows it: status and priority as the values the storage keeps
 * (such as {@code "success"} and {@code 2}), and the payloads as the sanitizer leaves
 * them.
 *
 * @param id the unique id
 * @param name the name of the task function
 * @param category the queue the task belongs to
 * @param priority the priority, from 1 (low) to 4 (critical)
 * @param status the life-cycle state, such as {@code pending}
 * @param createdAt when the task was created
 * @param startedAt when execution began, or {@code null}
 * @param completedAt when execution finished, or {@code null}
 * @param elapsedSeconds how long execution took
 * @param result the value the task returned, masked unless shown
 * @param error the error message, masked unless shown
 * @param retryCount the retries made so far
 * @param maxRetries the retries allowed
 * @param args the positional arguments, masked unless shown
 * @param kwargs the keyword arguments, masked unless shown
 * @param progress the percentage done, from 0 to 100
 * @param progressMessage a human-readable progress message
 * @param attempt the executions started so far
 * @param maxAttempts the executions allowed
 * @param idempotencyKey the key under which the task is stored once, or {@code null}
 * @param notBefore the time before which the task must not run, or {@code null}
 * @param nextAttemptAt the time of the next retry, or {@code null}
 * @param leaseOwner the worker that holds the task's lease, or {@code null}
 * @param leaseExpiresAt when the lease runs out unless renewed, or {@code null}
 * @param claimedAt when the task was first claimed, or {@code null}
 * @param lastHeartbeatAt when the lease was last taken or renewed, or {@code null}
 */
public record TaskDescriptor(String id, String name, String category, int priority, String status,
		Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt, double elapsedSeconds,
		@Nullable Object result, @Nullable Object error, int retryCount, int maxRetries, @Nullable Object args,
		@Nullable Object kwargs, double progress, String progressMessage, int attempt, int maxAttempts,
		@Nullable String idempotencyKey, @Nullable Instant notBefore, @Nullable Instant nextAttemptAt,
		@Nullable String leaseOwner, @Nullable Instant leaseExpiresAt, @Nullable Instant claimedAt,
		@Nullable Instant lastHeartbeatAt) implements OperationResponseBody {

	static TaskDescriptor of(TaskInfo task, BiFunction<String, @Nullable Object, @Nullable Object> payload) {
		return new TaskDescriptor(task.id(), task.name(), task.category(), task.priority().value(),
				task.status().value(), task.createdAt(), task.startedAt(), task.completedAt(), task.elapsedSeconds(),
				payload.apply("result", task.result()), payload.apply("error", task.error()), task.retryCount(),
				task.maxRetries(), payload.apply("args", task.args()), payload.apply("kwargs", task.kwargs()),
				task.progress(), task.progressMessage(), task.attempt(), task.maxAttempts(), task.idempotencyKey(),
				task.notBefore(), task.nextAttemptAt(), task.leaseOwner(), task.leaseExpiresAt(), task.claimedAt(),
				task.lastHeartbeatAt());
	}

}
