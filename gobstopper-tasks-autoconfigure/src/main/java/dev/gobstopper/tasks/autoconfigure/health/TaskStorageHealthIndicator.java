package dev.gobstopper.tasks.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskSummary;
import dev.gobstopper.tasks.support.AbstractTaskStorage;
import dev.gobstopper.tasks.support.CleanupRun;
import dev.gobstopper.tasks.support.StoreHealth;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Reports whether the task storage works, with a few facts about it that cost next to
 * nothing to gather. The one fact that costs a query, the oldest pending task, is found
 * in the background at most every few seconds, so that no check but the first waits for
 * it.
 * <p>
 * A store built on {@link AbstractTaskStorage} describes itself: it is down when it can
 * no longer work, or when its background work has failed for longer than a threshold.
 * Of any other store, only what {@link TaskStorage} tells is known: whether it answers.
 */
class TaskStorageHealthIndicator extends AbstractHealthIndicator {

	/**
	 * How long the oldest pending task found is reused: finding it reads the table (about
	 * 20 ms over a million tasks on DuckDB), while health is checked as often as a load
	 * balancer or an orchestrator likes.
	 */
	static final Duration OLDEST_PENDING_MAX_AGE = Duration.ofSeconds(5);

	private final TaskStorage storage;

	private final Duration failureThreshold;

	private final Clock clock;

	private final Duration oldestPendingMaxAge;

	private final SimpleAsyncTaskExecutor finder = new SimpleAsyncTaskExecutor("gobstopper-tasks-health-");

	private @Nullable OldestPending oldestPending;

	private boolean finding;

	TaskStorageHealthIndicator(TaskStorage storage, Duration failureThreshold, Clock clock) {
		this(storage, failureThreshold, clock, OLDEST_PENDING_MAX_AGE);
	}

	TaskStorageHealthIndicator(TaskStorage storage, Duration failureThreshold, Clock clock,
			Duration oldestPendingMaxAge) {
		super("Task storage health check failed");
		this.storage = storage;
		this.failureThreshold = failureThreshold;
		this.clock = clock;
		this.oldestPendingMaxAge = oldestPendingMaxAge;
		this.finder.setDaemon(true);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up();
		if (this.storage instanceof AbstractTaskStorage store) {
			describe(store.health(), builder);
			store.lastCleanup().ifPresent((run) -> builder.withDetail("lastCleanup", describe(run)));
		}
		TaskSummary oldest = oldestPending().task();
		if (oldest != null) {
			Map<String, Object> pending = new LinkedHashMap<>();
			pending.put("id", oldest.id());
			pending.put("createdAt", oldest.createdAt());
			pending.put("age", notNegative(Duration.between(oldest.createdAt(), this.clock.instant())));
			builder.withDetail("oldestPending", pending);
		}
	}

	private void describe(StoreHealth health, Health.Builder builder) {
		builder.withDetail("type", health.type());
		builder.withDetails(health.details());
		if (health.failure() != null) {
			builder.down().withDetail("failure", health.failure());
		}
		Instant failingSince = health.failingSince();
		if (failingSince != null) {
			builder.withDetail("failingSince", failingSince);
			if (Duration.between(failingSince, this.clock.instant()).compareTo(this.failureThreshold) > 0) {
				builder.down();
			}
		}
	}

	private static Map<String, Object> describe(CleanupRun run) {
		Map<String, Object> cleanup = new LinkedHashMap<>();
		cleanup.put("startedAt", run.startedAt());
		cleanup.put("duration", run.duration());
		cleanup.put("deleted", run.deleted());
		if (run.error() != null) {
			cleanup.put("error", run.error());
		}
		return cleanup;
	}

	/**
	 * Return the oldest pending task as last found. Only the first check waits for it to be
	 * found; once the answer is older than its maximum age, a check starts finding it anew
	 * in the background and goes on with the answer it has. A failure is kept as an answer,
	 * so that a store that cannot answer is not asked again by every check.
	 */
	private OldestPending oldestPending() {
		OldestPending oldest;
		synchronized (this) {
			oldest = this.oldestPending;
			if (oldest == null) {
				oldest = findOldestPending();
				this.oldestPending = oldest;
			}
			else if (System.nanoTime() - oldest.foundAt() >= this.oldestPendingMaxAge.toNanos() && !this.finding) {
				this.finding = true;
				this.finder.execute(this::refreshOldestPending);
			}
		}
		if (oldest.failure() != null) {
			throw oldest.failure();
		}
		return oldest;
	}

	private void refreshOldestPending() {
		OldestPending oldest = findOldestPending();
		synchronized (this) {
			this.oldestPending = oldest;
			this.finding = false;
		}
	}

	private OldestPending findOldestPending() {
		try {
			List<TaskSummary> oldest = this.storage.getOldestTaskSummaries(TaskStatus.PENDING, 1);
			return new OldestPending(System.nanoTime(), oldest.isEmpty() ? null : oldest.get(0), null);
		}
		catch (RuntimeException ex) {
			return new OldestPending(System.nanoTime(), null, ex);
		}
	}

	private static Duration notNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

	private record OldestPending(long foundAt, @Nullable TaskSummary task, @Nullable RuntimeException failure) {

	}

}
