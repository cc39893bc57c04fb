package dev.gobstopper.tasks.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import dev.gobstopper.tasks.support.AbstractTaskStorage;
import dev.gobstopper.tasks.support.CleanupRun;
import dev.gobstopper.tasks.support.TaskStorageListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Binds the metrics of a {@link TaskStorage} to a registry:
 * <ul>
 * <li>{@code gobstopper.tasks.count}, a gauge of the tasks stored, tagged with their
 * {@code status}; counted at most every 5 seconds, whatever the scrapes, and in the
 * background but for the first scrape;</li>
 * <li>of a store built on {@link AbstractTaskStorage}, timers of its calls:
 * {@code gobstopper.tasks.saves} tagged {@code outcome} ({@code success} or
 * {@code error}), {@code gobstopper.tasks.reads} tagged {@code operation} ({@code get}
 * or {@code page}) and {@code gobstopper.tasks.cleanup}, and a counter,
 * {@code gobstopper.tasks.cleanup.deleted}, of the tasks cleanup deleted;</li>
 * <li>of a DuckDB store, {@code gobstopper.tasks.journal.backlog}, a gauge of the saves
 * not merged into the task table yet.</li>
 * </ul>
 * The timers are fed after each call returns, on the caller's thread: a save has
 * committed before it is timed, and recording it is a few counter updates.
 */
public final class TaskStorageMetrics implements MeterBinder {

	static final Duration COUNTS_MAX_AGE = Duration.ofSeconds(5);

	/** How long a count may run while the gauge gives the counts before it. */
	static final Duration COUNT_PATIENCE = Duration.ofSeconds(30);

	private final TaskStorage storage;

	private final Duration countsMaxAge;

	private final Duration countPatience;

	/**
	 * Create the metrics of a storage.
	 * @param storage the storage
	 */
	public TaskStorageMetrics(TaskStorage storage) {
		this(storage, COUNTS_MAX_AGE);
	}

	TaskStorageMetrics(TaskStorage storage, Duration countsMaxAge) {
		this(storage, countsMaxAge, COUNT_PATIENCE);
	}

	TaskStorageMetrics(TaskStorage storage, Duration countsMaxAge, Duration countPatience) {
		this.storage = storage;
		this.countsMaxAge = countsMaxAge;
		this.countPatience = countPatience;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		CachedCounts counts = new CachedCounts(this.storage, this.countsMaxAge, this.countPatience);
		for (TaskStatus status : TaskStatus.values()) {
			Gauge.builder("gobstopper.tasks.count", counts, (cached) -> cached.count(status))
				.description("Tasks stored, per status, counted at most every " + this.countsMaxAge.toSeconds()
						+ " seconds")
				.baseUnit("tasks")
				.tag("status", status.value())
				.strongReference(true)
				.register(registry);
		}
		if (this.storage instanceof AbstractTaskStorage store) {
			store.addListener(new MeteringListener(registry));
		}
		if (this.storage instanceof DuckDbTaskStorage duckDb) {
			Gauge.builder("gobstopper.tasks.journal.backlog", duckDb, DuckDbTaskStorage::backlog)
				.description("Saves committed to DuckDB's journal and not yet merged into the task table")
				.baseUnit("rows")
				.strongReference(true)
				.register(registry);
		}
	}

	/**
	 * Records each call a store reports.
	 */
	private static final class MeteringListener implements TaskStorageListener {

		private final Timer savesSucceeded;

		private final Timer savesFailed;

		private final Timer gets;

		private final Timer pages;

		private final Timer cleanups;

		private final Counter deleted;

		MeteringListener(MeterRegistry registry) {
			this.savesSucceeded = saves("success", registry);
			this.savesFailed = saves("error", registry);
			this.gets = reads("get", registry);
			this.pages = reads("page", registry);
			this.cleanups = Timer.builder("gobstopper.tasks.cleanup")
				.description("Cleanups of old finished tasks")
				.register(registry);
			this.deleted = Counter.builder("gobstopper.tasks.cleanup.deleted")
				.description("Finished tasks deleted by cleanups")
				.baseUnit("tasks")
				.register(registry);
		}

		private static Timer saves(String outcome, MeterRegistry registry) {
			return Timer.builder("gobstopper.tasks.saves")
				.description("Calls that saved one task or a batch, until committed")
				.tag("outcome", outcome)
				.register(registry);
		}

		private static Timer reads(String operation, MeterRegistry registry) {
			return Timer.builder("gobstopper.tasks.reads")
				.description("Reads of one task by its id (get), or of a page of tasks or summaries (page)")
				.tag("operation", operation)
				.register(registry);
		}

		@Override
		public void saved(int tasks, long nanos, @Nullable RuntimeException failure) {
			((failure != null) ? this.savesFailed : this.savesSucceeded).record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void read(ReadOperation operation, long nanos) {
			((operation == ReadOperation.GET) ? this.gets : this.pages).record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void cleanedUp(CleanupRun run) {
			this.cleanups.record(run.duration());
			this.deleted.increment(run.deleted());
		}

	}

	/**
	 * The counts per status, counted again once they are older than their maximum age, so
	 * that scrapes never count more often than that. Only the first scrape waits for them;
	 * later ones start counting anew in the background and go on with the counts they
	 * have, so that a store that answers slowly or not at all holds up no scrape. Once a
	 * count has run longer than the patience, there are no counts until one returns.
	 */
	private static final class CachedCounts {

		private static final Log logger = LogFactory.getLog(CachedCounts.class);

		private final TaskStorage storage;

		private final long maxAgeNanos;

		private final long patienceNanos;

		private final SimpleAsyncTaskExecutor counter = new SimpleAsyncTaskExecutor("gobstopper-tasks-metrics-");

		private @Nullable TaskCounts counts;

		private long countedAt;

		private boolean counted;

		private boolean counting;

		private long countStartedAt;

		CachedCounts(TaskStorage storage, Duration maxAge, Duration patience) {
			this.storage = storage;
			this.maxAgeNanos = maxAge.toNanos();
			this.patienceNanos = patience.toNanos();
			this.counter.setDaemon(true);
		}

		synchronized double count(TaskStatus status) {
			long now = System.nanoTime();
			if (!this.counted) {
				counted(countNow());
			}
			else if (this.counting) {
				if (now - this.countStartedAt > this.patienceNanos) {
					return Double.NaN;
				}
			}
			else if (now - this.countedAt >= this.maxAgeNanos) {
				this.counting = true;
				this.countStartedAt = now;
				this.counter.execute(this::recount);
			}
			return (this.counts != null) ? this.counts.count(status) : Double.NaN;
		}

		private void recount() {
			TaskCounts counts = countNow();
			synchronized (this) {
				counted(counts);
				this.counting = false;
			}
		}

		private void counted(@Nullable TaskCounts counts) {
			this.counts = counts;
			this.counted = true;
			this.countedAt = System.nanoTime();
		}

		private @Nullable TaskCounts countNow() {
			try {
				return this.storage.countTasks(null);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not count the tasks for metrics", ex);
				return null;
			}
		}

	}

}
