package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * Workers that drain a queue: each loops {@code claimNext}, then saves the task as
 * succeeded. Afterwards every task must have been claimed once and stored as succeeded.
 */
final class QueueWorkload {

	private static final Duration LEASE = Duration.ofMinutes(5);

	/** A completed task whose save fails is saved again, up to this many times in all. */
	private static final int SAVE_ATTEMPTS = 5;

	private final BenchStore bench;

	private final Sizes sizes;

	private final Output output;

	private final List<String> categories = TaskGenerator.QUEUE_CATEGORIES;

	private final int[] totals;

	private final AtomicInteger[] claimed;

	private final Map<String, Integer> claims = new ConcurrentHashMap<>();

	private final LongAdder completed = new LongAdder();

	private final LongAdder emptyClaims = new LongAdder();

	private final LongAdder wrongClaims = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final AtomicBoolean outOfTime = new AtomicBoolean();

	private final AtomicReference<@Nullable RuntimeException> firstFailure = new AtomicReference<>();

	QueueWorkload(BenchStore bench, Sizes sizes, Output output) {
		this.bench = bench;
		this.sizes = sizes;
		this.output = output;
		this.totals = new int[this.categories.size()];
		this.claimed = new AtomicInteger[this.categories.size()];
		for (int i = 0; i < this.totals.length; i++) {
			int remainder = (i < sizes.queueTasks() % this.totals.length) ? 1 : 0;
			this.totals[i] = sizes.queueTasks() / this.totals.length + remainder;
			this.claimed[i] = new AtomicInteger();
		}
	}

	/**
	 * Load the pending tasks, spread evenly over the categories, by the store's fastest
	 * path.
	 * @return the number of tasks loaded
	 */
	static int load(BenchStore bench, Sizes sizes) {
		SplittableRandom random = new SplittableRandom(50_000);
		List<TaskInfo> batch = new ArrayList<>();
		for (int i = 0; i < sizes.queueTasks(); i++) {
			List<String> categories = TaskGenerator.QUEUE_CATEGORIES;
			batch.add(TaskGenerator.queued(random, categories.get(i % categories.size())));
			if (batch.size() == Sizes.LOAD_BATCH) {
				bench.bulkLoad(batch);
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			bench.bulkLoad(batch);
		}
		return sizes.queueTasks();
	}

	/**
	 * Drain the queue until every task is claimed or the time budget runs out.
	 * @return the completed tasks per second
	 */
	double run() throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + this.sizes.queueBudget().toNanos();
		List<Thread> workers = new ArrayList<>();
		for (int w = 0; w < Sizes.QUEUE_WORKERS; w++) {
			int worker = w;
			Thread thread = new Thread(() -> work(worker, deadline), "worker-" + w);
			thread.setDaemon(true);
			workers.add(thread);
		}
		workers.forEach(Thread::start);
		for (Thread worker : workers) {
			worker.join(this.sizes.queueBudget().toMillis() + TimeUnit.MINUTES.toMillis(2));
			if (worker.isAlive()) {
				this.output.problem("queue: a worker did not return within 2 minutes after the time budget");
			}
		}
		long nanos = System.nanoTime() - start;
		check(nanos);
		return this.completed.sum() / Timing.seconds(nanos);
	}

	/**
	 * Claim and complete tasks, starting with the worker's own category and moving to
	 * another once every task of it is claimed. A claim that returns nothing while tasks
	 * remain lost a race to another worker, and is tried again.
	 */
	private void work(int worker, long deadline) {
		String workerId = "worker-" + worker;
		int category = worker % this.categories.size();
		while (true) {
			if (System.nanoTime() >= deadline) {
				this.outOfTime.set(true);
				return;
			}
			if (this.claimed[category].get() >= this.totals[category]) {
				category = nextUnfinished(category);
				if (category < 0) {
					return;
				}
				continue;
			}
			try {
				Optional<TaskInfo> task = this.bench.claimNext(this.categories.get(category), workerId, LEASE);
				if (task.isEmpty()) {
					this.emptyClaims.increment();
					Thread.yield();
					continue;
				}
				this.claimed[category].incrementAndGet();
				complete(task.get(), workerId);
			}
			catch (RuntimeException ex) {
				this.failures.increment();
				this.firstFailure.compareAndSet(null, ex);
			}
		}
	}

	private int nextUnfinished(int category) {
		for (int i = 1; i <= this.categories.size(); i++) {
			int next = (category + i) % this.categories.size();
			if (this.claimed[next].get() < this.totals[next]) {
				return next;
			}
		}
		return -1;
	}

	private void complete(TaskInfo task, String workerId) {
		this.claims.merge(task.id(), 1, Integer::sum);
		if (task.status() != TaskStatus.STARTED || !workerId.equals(task.leaseOwner()) || task.attempt() != 1) {
			this.wrongClaims.increment();
		}
		Instant now = Instant.now();
		Instant started = (task.startedAt() != null) ? task.startedAt() : now;
		TaskInfo done = task.toBuilder()
			.status(TaskStatus.SUCCESS)
			.completedAt(now)
			.elapsedSeconds(Duration.between(started, now).toNanos() / 1e9)
			.result(Map.of("ok", true))
			.progress(100)
			.progressMessage("done")
			.build();
		for (int attempt = 1;; attempt++) {
			try {
				this.bench.saveTask(done);
				this.completed.increment();
				return;
			}
			catch (RuntimeException ex) {
				if (attempt == SAVE_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	private void check(long nanos) {
		long twice = this.claims.values().stream().filter((count) -> count > 1).count();
		boolean drained = !this.outOfTime.get();
		this.output.note(String.format("queue: %,d of %,d tasks completed in %.1f s%s; %,d claims came back empty "
				+ "while tasks remained", this.completed.sum(), this.sizes.queueTasks(), Timing.seconds(nanos),
				drained ? "" : " (stopped by the time budget)", this.emptyClaims.sum()));
		RuntimeException failure = this.firstFailure.get();
		if (failure != null) {
			this.output.problem("queue: " + this.failures.sum() + " claims or saves failed; the first with " + failure);
		}
		if (twice > 0) {
			this.output.problem(String.format("queue: %,d tasks were claimed more than once", twice));
		}
		if (this.wrongClaims.sum() > 0) {
			this.output.problem(String.format("queue: %,d claimed tasks came back without status started, the "
					+ "worker's lease or attempt 1", this.wrongClaims.sum()));
		}
		long succeeded = 0;
		long unfinished = 0;
		for (String category : this.categories) {
			TaskCounts counts = this.bench.countTasks(category);
			succeeded += counts.count(TaskStatus.SUCCESS);
			unfinished += counts.total() - counts.count(TaskStatus.SUCCESS);
		}
		if (succeeded != this.completed.sum()) {
			this.output.problem(String.format("queue: the store holds %,d succeeded tasks, the workers completed %,d",
					succeeded, this.completed.sum()));
		}
		if (drained && unfinished > 0) {
			this.output.problem(String.format("queue: %,d tasks are not succeeded after every task was claimed",
					unfinished));
		}
		if (!drained && succeeded + unfinished != this.sizes.queueTasks()) {
			this.output.problem(String.format("queue: the store holds %,d tasks of the queue, %,d were loaded",
					succeeded + unfinished, this.sizes.queueTasks()));
		}
	}

}
