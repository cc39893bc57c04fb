package dev.gobstopper.tasks.benchmarks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.gobstopper.tasks.TaskInfo;
import org.jspecify.annotations.Nullable;

/**
 * Threads that keep calling {@code deleteTask} until stopped, each on pending tasks of its
 * own, loaded by the store's fastest path before it starts and again whenever it has
 * deleted them all. Only the deletes are timed.
 */
final class Deleters {

	/** How many tasks a thread is given to delete at a time. */
	private static final int POOL = 5_000;

	private final BenchStore bench;

	private final AtomicBoolean stop = new AtomicBoolean();

	private final LongAdder missing = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final AtomicReference<@Nullable RuntimeException> firstFailure = new AtomicReference<>();

	private final List<Thread> threads = new ArrayList<>();

	private final List<Latencies> latencies = new ArrayList<>();

	/**
	 * Load the tasks of the threads, then start them.
	 * @param bench the store
	 * @param threads how many threads delete
	 * @param seed the seed of the tasks
	 */
	Deleters(BenchStore bench, int threads, long seed) {
		this.bench = bench;
		for (int t = 0; t < threads; t++) {
			SplittableRandom random = new SplittableRandom(seed * 1_000L + t);
			Deque<String> pool = load(random);
			Latencies latencies = new Latencies();
			this.latencies.add(latencies);
			Thread deleter = new Thread(() -> delete(random, pool, latencies), "deleter-" + t);
			deleter.setDaemon(true);
			this.threads.add(deleter);
		}
		this.threads.forEach(Thread::start);
	}

	private Deque<String> load(SplittableRandom random) {
		List<TaskInfo> tasks = new ArrayList<>(POOL);
		Deque<String> ids = new ArrayDeque<>(POOL);
		for (int i = 0; i < POOL; i++) {
			TaskInfo task = TaskGenerator.pending(random);
			tasks.add(task);
			ids.add(task.id());
		}
		this.bench.bulkLoad(tasks);
		return ids;
	}

	private void delete(SplittableRandom random, Deque<String> pool, Latencies latencies) {
		Deque<String> ids = pool;
		while (!this.stop.get()) {
			try {
				if (ids.isEmpty()) {
					ids = load(random);
				}
				String id = ids.pollFirst();
				long start = System.nanoTime();
				boolean deleted = this.bench.deleteTask(id);
				latencies.add(start, System.nanoTime());
				if (!deleted) {
					this.missing.increment();
				}
			}
			catch (RuntimeException ex) {
				this.failures.increment();
				this.firstFailure.compareAndSet(null, ex);
			}
		}
	}

	/**
	 * Stop the threads and wait for their last deletes.
	 * @param workload what the deletes were part of, for the problems reported
	 */
	void stop(String workload, Output output) throws InterruptedException {
		this.stop.set(true);
		for (Thread deleter : this.threads) {
			deleter.join(TimeUnit.MINUTES.toMillis(2));
			if (deleter.isAlive()) {
				output.problem(workload + ": a deleting thread did not return within 2 minutes");
				break;
			}
		}
		RuntimeException failure = this.firstFailure.get();
		if (failure != null) {
			output.problem(workload + ": " + this.failures.sum() + " saves or deletes failed; the first with "
					+ failure);
		}
		if (this.missing.sum() > 0) {
			output.problem(workload + ": " + this.missing.sum() + " deletes did not find a task saved before");
		}
	}

	/**
	 * Return the latencies of the deletes that ran during a period, sorted, in
	 * nanoseconds; call after {@link #stop}.
	 */
	long[] latenciesDuring(long from, long to) {
		return Latencies.during(this.latencies, from, to);
	}

}
