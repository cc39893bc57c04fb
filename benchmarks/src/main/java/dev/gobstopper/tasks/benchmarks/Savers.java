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
 * Threads that keep calling {@code saveTask} until stopped: each alternates a new pending
 * task and the next state (started, then succeeded) of one of its own earlier tasks, so
 * half the saves are new tasks and half are updates.
 */
final class Savers {

	private final BenchStore bench;

	private final @Nullable RecentIds recent;

	private final AtomicBoolean stop = new AtomicBoolean();

	private final LongAdder saves = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final AtomicReference<@Nullable RuntimeException> firstFailure = new AtomicReference<>();

	private final List<Thread> threads = new ArrayList<>();

	private final List<Latencies> latencies = new ArrayList<>();

	/**
	 * Start the threads.
	 * @param bench the store
	 * @param threads how many threads save
	 * @param seed the seed of the tasks
	 * @param recent where to publish the id of every task saved, if anywhere
	 */
	Savers(BenchStore bench, int threads, long seed, @Nullable RecentIds recent) {
		this.bench = bench;
		this.recent = recent;
		for (int t = 0; t < threads; t++) {
			SplittableRandom random = new SplittableRandom(seed * 1_000L + t);
			Latencies latencies = new Latencies();
			this.latencies.add(latencies);
			Thread saver = new Thread(() -> save(random, latencies), "saver-" + t);
			saver.setDaemon(true);
			this.threads.add(saver);
		}
		this.threads.forEach(Thread::start);
	}

	private void save(SplittableRandom random, Latencies latencies) {
		Deque<TaskInfo> unfinished = new ArrayDeque<>();
		for (long call = 0; !this.stop.get(); call++) {
			boolean update = (call % 2 == 1) && !unfinished.isEmpty();
			TaskInfo task = update ? TaskGenerator.next(unfinished.pollFirst()) : TaskGenerator.pending(random);
			long start = System.nanoTime();
			try {
				this.bench.saveTask(task);
				latencies.add(start, System.nanoTime());
				this.saves.increment();
				if (!task.isCompleted()) {
					unfinished.addLast(task);
				}
				if (this.recent != null) {
					this.recent.add(task.id());
				}
			}
			catch (RuntimeException ex) {
				this.failures.increment();
				this.firstFailure.compareAndSet(null, ex);
			}
		}
	}

	/**
	 * Return the saves that have returned so far.
	 */
	long saves() {
		return this.saves.sum();
	}

	/**
	 * Stop the threads and wait for their last saves.
	 * @param workload what the saves were part of, for the problems reported
	 */
	void stop(String workload, Output output) throws InterruptedException {
		this.stop.set(true);
		for (Thread saver : this.threads) {
			saver.join(TimeUnit.MINUTES.toMillis(2));
			if (saver.isAlive()) {
				output.problem(workload + ": a saving thread did not return within 2 minutes");
				break;
			}
		}
		RuntimeException failure = this.firstFailure.get();
		if (failure != null) {
			output.problem(workload + ": " + this.failures.sum() + " saves failed; the first with " + failure);
		}
	}

	/**
	 * Return the latencies of the saves that ran during a period, sorted, in nanoseconds;
	 * call after {@link #stop}.
	 */
	long[] latenciesDuring(long from, long to) {
		return Latencies.during(this.latencies, from, to);
	}

}
