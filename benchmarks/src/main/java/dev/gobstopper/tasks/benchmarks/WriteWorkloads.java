package dev.gobstopper.tasks.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskSummary;
import org.jspecify.annotations.Nullable;

/**
 * The workloads that write to a fresh database: saves from many threads, batches,
 * idempotent saves, and the light read of tasks with large results.
 */
final class WriteWorkloads {

	private final BenchStore bench;

	private final Sizes sizes;

	private final Output output;

	WriteWorkloads(BenchStore bench, Sizes sizes, Output output) {
		this.bench = bench;
		this.sizes = sizes;
		this.output = output;
	}

	/**
	 * Save from many threads at once for a fixed time.
	 */
	double saveTaskRate(int threads) throws InterruptedException {
		Savers savers = new Savers(this.bench, threads, threads, null);
		try {
			Thread.sleep(this.sizes.warmUp().toMillis());
			long startSaves = savers.saves();
			long start = System.nanoTime();
			Thread.sleep(this.sizes.measure().toMillis());
			long endSaves = savers.saves();
			long end = System.nanoTime();
			return (endSaves - startSaves) / Timing.seconds(end - start);
		}
		finally {
			savers.stop("saveTask from " + threads + " threads", this.output);
		}
	}

	/**
	 * Save batches of new tasks until the time budget or the batch count runs out, at
	 * least one batch.
	 */
	double saveTasksRate(int size) {
		SplittableRandom random = new SplittableRandom(size);
		this.bench.saveTasks(batch(random, Math.min(size, 100)));
		long rows = 0;
		long nanos = 0;
		int batches = 0;
		while (batches < this.sizes.maxBatches() && nanos < this.sizes.batchBudget().toNanos()) {
			List<TaskInfo> batch = batch(random, size);
			long start = System.nanoTime();
			this.bench.saveTasks(batch);
			nanos += System.nanoTime() - start;
			rows += size;
			batches++;
		}
		this.output.note(String.format("saveTasks in batches of %,d: %d batch(es) in %.1f s", size, batches,
				Timing.seconds(nanos)));
		return rows / Timing.seconds(nanos);
	}

	private static List<TaskInfo> batch(SplittableRandom random, int size) {
		List<TaskInfo> batch = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			batch.add(TaskGenerator.pending(random));
		}
		return batch;
	}

	/**
	 * Call {@code saveTaskIfAbsent} from many threads for a fixed time. Most calls bring a
	 * new key; the others repeat a recent key, one whose first save may still be running
	 * on another thread. Every call with one key must get the same task back.
	 * @param promised whether the store promises one task per key; if it does not, keys
	 * stored twice are a note, not a problem
	 */
	double saveTaskIfAbsentRate(boolean promised) throws InterruptedException {
		RecentIds keys = new RecentIds(1_000);
		ConcurrentMap<String, String> idOfKey = new ConcurrentHashMap<>();
		AtomicBoolean stop = new AtomicBoolean();
		LongAdder calls = new LongAdder();
		LongAdder duplicates = new LongAdder();
		LongAdder split = new LongAdder();
		LongAdder failures = new LongAdder();
		AtomicReference<@Nullable RuntimeException> firstFailure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < Sizes.IDEMPOTENT_THREADS; t++) {
			SplittableRandom random = new SplittableRandom(7_000 + t);
			int thread = t;
			Thread caller = new Thread(() -> {
				for (long call = 0; !stop.get(); call++) {
					String key = (random.nextDouble() < Sizes.DUPLICATE_SHARE) ? keys.random(random) : null;
					boolean duplicate = key != null;
					if (key == null) {
						key = "order-" + thread + "-" + call;
						keys.add(key);
					}
					try {
						TaskInfo stored = this.bench.saveTaskIfAbsent(TaskGenerator.withIdempotencyKey(random, key));
						String first = idOfKey.putIfAbsent(key, stored.id());
						if (first != null && !first.equals(stored.id())) {
							split.increment();
						}
						calls.increment();
						if (duplicate) {
							duplicates.increment();
						}
					}
					catch (RuntimeException ex) {
						failures.increment();
						firstFailure.compareAndSet(null, ex);
					}
				}
			}, "idempotent-" + t);
			caller.setDaemon(true);
			threads.add(caller);
		}
		threads.forEach(Thread::start);
		double rate;
		try {
			Thread.sleep(this.sizes.warmUp().toMillis());
			long startCalls = calls.sum();
			long start = System.nanoTime();
			Thread.sleep(this.sizes.measure().toMillis());
			rate = (calls.sum() - startCalls) / Timing.seconds(System.nanoTime() - start);
		}
		finally {
			stop.set(true);
			for (Thread thread : threads) {
				thread.join(TimeUnit.MINUTES.toMillis(2));
			}
		}
		String workload = "saveTaskIfAbsent from " + Sizes.IDEMPOTENT_THREADS + " threads";
		if (firstFailure.get() != null) {
			this.output
				.problem(workload + ": " + failures.sum() + " calls failed; the first with " + firstFailure.get());
		}
		String outcome = String.format("%s: %,d calls, %,d with a repeated key; %,d calls got another task than "
				+ "the first call with their key", workload, calls.sum(), duplicates.sum(), split.sum());
		if (split.sum() > 0 && promised) {
			this.output.problem(outcome);
		}
		else {
			this.output.note(outcome);
		}
		return rate;
	}

	/**
	 * Save tasks with results of about 10 KB, then read pages of them, alternating whole
	 * tasks and summaries.
	 * @return the median times of a page of tasks and of a page of summaries, in
	 * milliseconds
	 */
	double[] lightPageMillis() {
		SplittableRandom random = new SplittableRandom(10_240);
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < this.sizes.lightTasks(); i++) {
			tasks.add(TaskGenerator.withLargeResult(random));
		}
		this.bench.saveTasks(tasks);
		String category = TaskGenerator.LARGE_RESULT_CATEGORY;
		for (int i = 0; i < 3; i++) {
			checkLightPage(this.bench.getTasks(category, null, Sizes.PAGE_SIZE, 0));
			checkSummaries(this.bench.getTaskSummaries(category, null, Sizes.PAGE_SIZE, 0));
		}
		List<Long> full = new ArrayList<>();
		List<Long> summaries = new ArrayList<>();
		long deadline = System.nanoTime() + this.sizes.pageBudget().toNanos();
		while (full.size() < this.sizes.maxPages() && (full.isEmpty() || System.nanoTime() < deadline)) {
			long start = System.nanoTime();
			List<TaskInfo> page = this.bench.getTasks(category, null, Sizes.PAGE_SIZE, 0);
			full.add(System.nanoTime() - start);
			checkLightPage(page);
			start = System.nanoTime();
			List<TaskSummary> summaryPage = this.bench.getTaskSummaries(category, null, Sizes.PAGE_SIZE, 0);
			summaries.add(System.nanoTime() - start);
			checkSummaries(summaryPage);
		}
		return new double[] { Timing.millis(Timing.median(full)), Timing.millis(Timing.median(summaries)) };
	}

	private static void checkLightPage(List<TaskInfo> page) {
		boolean wrong = page.size() != Sizes.PAGE_SIZE;
		for (TaskInfo task : page) {
			wrong |= !task.category().equals(TaskGenerator.LARGE_RESULT_CATEGORY) || task.result() == null;
		}
		if (wrong) {
			throw new IllegalStateException("getTasks returned a wrong page of tasks with large results: "
					+ page.size() + " tasks, expected " + Sizes.PAGE_SIZE + " with their results");
		}
	}

	private static void checkSummaries(List<TaskSummary> page) {
		if (page.size() != Sizes.PAGE_SIZE || page.stream()
			.anyMatch((summary) -> !summary.category().equals(TaskGenerator.LARGE_RESULT_CATEGORY))) {
			throw new IllegalStateException("getTaskSummaries returned a wrong page: " + page.size() + " summaries, "
					+ "expected " + Sizes.PAGE_SIZE + " of category " + TaskGenerator.LARGE_RESULT_CATEGORY);
		}
	}

}
