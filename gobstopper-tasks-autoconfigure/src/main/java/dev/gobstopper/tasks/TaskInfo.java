package dev.gobstopper.tasks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.gobstopper.tasks.support.TaskArguments;
import dev.gobstopper.tasks.support.TaskFieldException;
import dev.gobstopper.tasks.support.Text;
import org.jspecify.annotations.Nullable;

/**
 * Everything recorded about one task, from creation through completion.
 * <p>
 * The constructor rejects what can never be stored with an {@link IllegalArgumentException}
 * naming the field. Timestamps are truncated to microseconds, the precision DuckDB keeps, so
 * a task read back equals the task saved. {@code result}, {@code args} and {@code kwargs}
 * hold JSON values: maps, lists, strings, numbers, booleans, {@code null}, or objects
 * Jackson can write; they read back as plain maps, lists and scalars.
 *
 * @param id the unique id
 * @param name the name of the task function
 * @param category the queue the task belongs to
 * @param priority how urgent the task is
 * @param status the life-cycle state
 * @param createdAt when the task was created
 * @param startedAt when execution began, or {@code null}
 * @param completedAt when execution finished, or {@code null}
 * @param elapsedSeconds how long execution took
 * @param result the JSON value the task returned, or {@code null}
 * @param error the error message of a failed task, or {@code null}
 * @param retryCount the retries made so far
 * @param maxRetries the retries allowed
 * @param args the positional arguments, as JSON values
 * @param kwargs the keyword arguments, as JSON values
 * @param progress the percentage done, from 0 to 100
 * @param progressMessage a human-readable progress message
 * @param attempt the executions started so far, counted by each claim
 * @param maxAttempts the executions allowed, at least 1
 * @param idempotencyKey the key under which the task is stored once, or {@code null}
 * @param notBefore the time before which the task must not run, or {@code null}
 * @param nextAttemptAt the time of the next retry, or {@code null}
 * @param leaseOwner the worker that holds the task's lease, or {@code null}
 * @param leaseExpiresAt when the lease runs out unless renewed, or {@code null}
 * @param claimedAt when the task was first claimed, or {@code null}
 * @param lastHeartbeatAt when the lease was last taken or renewed, or {@code null}
 */
public record TaskInfo(String id, String name, String category, TaskPriority priority, TaskStatus status,
		Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt, double elapsedSeconds,
		@Nullable Object result, @Nullable String error, int retryCount, int maxRetries, List<@Nullable Object> args,
		Map<String, @Nullable Object> kwargs, double progress, String progressMessage, int attempt, int maxAttempts,
		@Nullable String idempotencyKey, @Nullable Instant notBefore, @Nullable Instant nextAttemptAt,
		@Nullable String leaseOwner, @Nullable Instant leaseExpiresAt, @Nullable Instant claimedAt,
		@Nullable Instant lastHeartbeatAt) {

	public TaskInfo {
		id = TaskArguments.requireKey("id", id);
		name = TaskArguments.requireKey("name", name);
		category = TaskArguments.requireKey("category", category);
		TaskArguments.requireNonNull("priority", priority);
		TaskArguments.requireNonNull("status", status);
		createdAt = TaskArguments.requireTimestamp("createdAt", TaskArguments.requireNonNull("createdAt", createdAt));
		startedAt = optionalTimestamp("startedAt", startedAt);
		completedAt = optionalTimestamp("completedAt", completedAt);
		elapsedSeconds = TaskArguments.requireFinite("elapsedSeconds", elapsedSeconds);
		if (elapsedSeconds < 0) {
			throw new TaskFieldException("elapsedSeconds", "must not be negative, got " + elapsedSeconds);
		}
		if (error != null) {
			Text.requireWellFormed("error", error);
		}
		TaskArguments.requireNotNegative("retryCount", retryCount);
		TaskArguments.requireNotNegative("maxRetries", maxRetries);
		args = (args != null) ? Collections.unmodifiableList(new ArrayList<>(args)) : List.of();
		kwargs = (kwargs != null) ? copyOf(kwargs) : Map.of();
		progress = TaskArguments.requireFinite("progress", progress);
		if (progress < 0 || progress > 100) {
			throw new TaskFieldException("progress", "must be between 0 and 100, got " + progress);
		}
		progressMessage = (progressMessage != null) ? Text.requireWellFormed("progressMessage", progressMessage) : "";
		TaskArguments.requireNotNegative("attempt", attempt);
		if (maxAttempts < 1) {
			throw new TaskFieldException("maxAttempts", "must be at least 1, got " + maxAttempts);
		}
		idempotencyKey = (idempotencyKey != null) ? TaskArguments.requireKey("idempotencyKey", idempotencyKey) : null;
		notBefore = optionalTimestamp("notBefore", notBefore);
		nextAttemptAt = optionalTimestamp("nextAttemptAt", nextAttemptAt);
		leaseOwner = (leaseOwner != null) ? TaskArguments.requireKey("leaseOwner", leaseOwner) : null;
		leaseExpiresAt = optionalTimestamp("leaseExpiresAt", leaseExpiresAt);
		claimedAt = optionalTimestamp("claimedAt", claimedAt);
		lastHeartbeatAt = optionalTimestamp("lastHeartbeatAt", lastHeartbeatAt);
	}

	/**
	 * Create a task with the components of Gobstopper's original table, and the defaults
	 * for the others: no attempt made, one allowed, no idempotency key, no schedule and no
	 * lease.
	 */
	public TaskInfo(String id, String name, String category, TaskPriority priority, TaskStatus status,
			Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt, double elapsedSeconds,
			@Nullable Object result, @Nullable String error, int retryCount, int maxRetries,
			List<@Nullable Object> args, Map<String, @Nullable Object> kwargs, double progress,
			String progressMessage) {
		this(id, name, category, priority, status, createdAt, startedAt, completedAt, elapsedSeconds, result, error,
				retryCount, maxRetries, args, kwargs, progress, progressMessage, 0, 1, null, null, null, null, null,
				null, null);
	}

	/**
	 * Return a builder with the defaults: a random UUID id, {@link TaskPriority#NORMAL},
	 * {@link TaskStatus#PENDING}, created now, no arguments, an empty progress message, no
	 * attempt made and one allowed, and {@code null} for the idempotency key, the schedule
	 * and the lease.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a builder that starts from this task's values.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Return whether the task is being executed ({@link TaskStatus#STARTED}).
	 * @return whether the task is running
	 */
	public boolean isRunning() {
		return this.status == TaskStatus.STARTED;
	}

	/**
	 * Return whether the task has reached a terminal state.
	 * @return whether the task is completed
	 * @see TaskStatus#isTerminal()
	 */
	public boolean isCompleted() {
		return this.status.isTerminal();
	}

	/**
	 * Describe the task without its payload: result, error, args and kwargs may hold users'
	 * data and are left out.
	 */
	@Override
	public String toString() {
		return "TaskInfo[id=" + this.id + ", name=" + this.name + ", category=" + this.category + ", priority="
				+ this.priority + ", status=" + this.status + ", createdAt=" + this.createdAt + ", startedAt="
				+ this.startedAt + ", completedAt=" + this.completedAt + ", elapsedSeconds=" + this.elapsedSeconds
				+ ", retryCount=" + this.retryCount + ", maxRetries=" + this.maxRetries + ", progress=" + this.progress
				+ ", attempt=" + this.attempt + ", maxAttempts=" + this.maxAttempts + ", idempotencyKey="
				+ this.idempotencyKey + ", notBefore=" + this.notBefore + ", nextAttemptAt=" + this.nextAttemptAt
				+ ", leaseOwner=" + this.leaseOwner + ", leaseExpiresAt=" + this.leaseExpiresAt + ", claimedAt="
				+ this.claimedAt + ", lastHeartbeatAt=" + this.lastHeartbeatAt + "]";
	}

	private static @Nullable Instant optionalTimestamp(String field, @Nullable Instant value) {
		return (value != null) ? TaskArguments.requireTimestamp(field, value) : null;
	}

	private static Map<String, @Nullable Object> copyOf(Map<String, ? extends @Nullable Object> kwargs) {
		Map<String, @Nullable Object> copy = new LinkedHashMap<>(kwargs);
		if (copy.containsKey(null)) {
			throw new TaskFieldException("kwargs", "must not contain a null key");
		}
		return Collections.unmodifiableMap(copy);
	}

	/**
	 * Builds a {@link TaskInfo}, one method per component.
	 */
	public static final class Builder {

		private String id;

		private String name;

		private String category;

		private TaskPriority priority;

		private TaskStatus status;

		private Instant createdAt;

		private @Nullable Instant startedAt;

		private @Nullable Instant completedAt;

		private double elapsedSeconds;

		private @Nullable Object result;

		private @Nullable String error;

		private int retryCount;

		private int maxRetries;

		private List<@Nullable Object> args;

		private Map<String, @Nullable Object> kwargs;

		private double progress;

		private String progressMessage;

		private int attempt;

		private int maxAttempts;

		private @Nullable String idempotencyKey;

		private @Nullable Instant notBefore;

		private @Nullable Instant nextAttemptAt;

		private @Nullable String leaseOwner;

		private @Nullable Instant leaseExpiresAt;

		private @Nullable Instant claimedAt;

		private @Nullable Instant lastHeartbeatAt;

		private Builder() {
			this.id = UUID.randomUUID().toString();
			this.priority = TaskPriority.NORMAL;
			this.status = TaskStatus.PENDING;
			this.createdAt = Instant.now();
			this.args = List.of();
			this.kwargs = Map.of();
			this.progressMessage = "";
			this.maxAttempts = 1;
		}

		private Builder(TaskInfo task) {
			this.id = task.id;
			this.name = task.name;
			this.category = task.category;
			this.priority = task.priority;
			this.status = task.status;
			this.createdAt = task.createdAt;
			this.startedAt = task.startedAt;
			this.completedAt = task.completedAt;
			this.elapsedSeconds = task.elapsedSeconds;
			this.result = task.result;
			this.error = task.error;
			this.retryCount = task.retryCount;
			this.maxRetries = task.maxRetries;
			this.args = task.args;
			this.kwargs = task.kwargs;
			this.progress = task.progress;
			this.progressMessage = task.progressMessage;
			this.attempt = task.attempt;
			this.maxAttempts = task.maxAttempts;
			this.idempotencyKey = task.idempotencyKey;
			this.notBefore = task.notBefore;
			this.nextAttemptAt = task.nextAttemptAt;
			this.leaseOwner = task.leaseOwner;
			this.leaseExpiresAt = task.leaseExpiresAt;
			this.claimedAt = task.claimedAt;
			this.lastHeartbeatAt = task.lastHeartbeatAt;
		}

		public Builder id(String id) {
			this.id = id;
			return this;
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder category(String category) {
			this.category = category;
			return this;
		}

		public Builder priority(TaskPriority priority) {
			this.priority = priority;
			return this;
		}

		public Builder status(TaskStatus status) {
			this.status = status;
			return this;
		}

		public Builder createdAt(Instant createdAt) {
			this.createdAt = createdAt;
			return this;
		}

		public Builder startedAt(@Nullable Instant startedAt) {
			this.startedAt = startedAt;
			return this;
		}

		public Builder completedAt(@Nullable Instant completedAt) {
			this.completedAt = completedAt;
			return this;
		}

		public Builder elapsedSeconds(double elapsedSeconds) {
			this.elapsedSeconds = elapsedSeconds;
			return this;
		}

		public Builder result(@Nullable Object result) {
			this.result = result;
			return this;
		}

		public Builder error(@Nullable String error) {
			this.error = error;
			return this;
		}

		public Builder retryCount(int retryCount) {
			this.retryCount = retryCount;
			return this;
		}

		public Builder maxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
			return this;
		}

		@SuppressWarnings("unchecked")
		public Builder args(List<? extends @Nullable Object> args) {
			this.args = (List<@Nullable Object>) args;
			return this;
		}

		@SuppressWarnings("unchecked")
		public Builder kwargs(Map<String, ? extends @Nullable Object> kwargs) {
			this.kwargs = (Map<String, @Nullable Object>) kwargs;
			return this;
		}

		public Builder progress(double progress) {
			this.progress = progress;
			return this;
		}

		public Builder progressMessage(String progressMessage) {
			this.progressMessage = progressMessage;
			return this;
		}

		public Builder attempt(int attempt) {
			this.attempt = attempt;
			return this;
		}

		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		public Builder idempotencyKey(@Nullable String idempotencyKey) {
			this.idempotencyKey = idempotencyKey;
			return this;
		}

		public Builder notBefore(@Nullable Instant notBefore) {
			this.notBefore = notBefore;
			return this;
		}

		public Builder nextAttemptAt(@Nullable Instant nextAttemptAt) {
			this.nextAttemptAt = nextAttemptAt;
			return this;
		}

		public Builder leaseOwner(@Nullable String leaseOwner) {
			this.leaseOwner = leaseOwner;
			return this;
		}

		public Builder leaseExpiresAt(@Nullable Instant leaseExpiresAt) {
			this.leaseExpiresAt = leaseExpiresAt;
			return this;
		}

		public Builder claimedAt(@Nullable Instant claimedAt) {
			this.claimedAt = claimedAt;
			return this;
		}

		public Builder lastHeartbeatAt(@Nullable Instant lastHeartbeatAt) {
			this.lastHeartbeatAt = lastHeartbeatAt;
			return this;
		}

		/**
		 * Build the task.
		 * @return the task
		 * @throws IllegalArgumentException if a value can never be stored
		 */
		public TaskInfo build() {
			return new TaskInfo(this.id, this.name, this.category, this.priority, this.status, this.createdAt,
					this.startedAt, this.completedAt, this.elapsedSeconds, this.result, this.error, this.retryCount,
					this.maxRetries, this.args, this.kwargs, this.progress, this.progressMessage, this.attempt,
					this.maxAttempts, this.idempotencyKey, this.notBefore, this.nextAttemptAt, this.leaseOwner,
					this.leaseExpiresAt, this.claimedAt, this.lastHeartbeatAt);
		}

	}

}
