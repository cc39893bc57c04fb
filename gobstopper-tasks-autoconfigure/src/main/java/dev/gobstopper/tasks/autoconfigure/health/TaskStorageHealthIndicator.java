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

/**
 * Reports whether the task storage works, with a few facts about it that cost next to
 * nothing to gather.
 * <p>
 * A store built on {@link AbstractTaskStorage} describes itself: it is down when it can
 * no longer work, or when its background work has failed for longer than a threshold.
 * Of any other store, only what {@link TaskStorage} tells is known: whether it answers.
 */
class TaskStorageHealthIndicator extends AbstractHealthIndicator {

	/**
	 * How long the oldest pending task found is reused: finding it reads the table, while
	 * health is checked as often as a load balancer or an orchestrator likes.
	 */
	static final Duration OLDEST_PENDING_MAX_AGE = Duration.ofSeconds(5);

	private final TaskStorage storage;

	private final Duration failureThreshold;

	private final Clock clock;

	private final Duration oldestPendingMaxAge;

	private @Nullable OldestPending oldestPending;

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
	 * Return the oldest pending task, found anew once the last answer is older than the
	 * maximum age. A failure is kept as long, so that a store that cannot answer is not
	 * asked again by every check.
	 */
	private synchronized OldestPending oldestPending() {
		long now = System.nanoTime();
		OldestPending oldest = this.oldestPending;
		if (oldest == null || now - oldest.foundAt() >= this.oldestPendingMaxAge.toNanos()) {
			oldest = findOldestPending(now);
			this.oldestPending = oldest;
		}
		if (oldest.failure() != null) {
			throw oldest.failure();
		}
		return oldest;
	}

	private OldestPending findOldestPending(long now) {
		try {
			List<TaskSummary> oldest = this.storage.getOldestTaskSummaries(TaskStatus.PENDING, 1);
			return new OldestPending(now, oldest.isEmpty() ? null : oldest.get(0), null);
		}
		catch (RuntimeException ex) {
			return new OldestPending(now, null, ex);
		}
	}

	private static Duration notNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

	private record OldestPending(long foundAt, @Nullable TaskSummary task, @Nullable RuntimeException failure) {

	}

}
