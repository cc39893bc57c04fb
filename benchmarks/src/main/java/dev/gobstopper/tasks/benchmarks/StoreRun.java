package dev.gobstopper.tasks.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * Runs every workload against one store, in a JVM of its own, and prints the figures as
 * {@link ResultLine}s for the parent process.
 * <p>
 * The writes run on one fresh database; the reads and the cleanup on another, loaded
 * with the generated tasks, then closed and opened again so that every store starts the
 * reads from its file.
 */
public final class StoreRun {

	private static final List<Workload> WRITES = List.of(Workload.SAVE_TASK_1, Workload.SAVE_TASK_8,
			Workload.SAVE_TASK_32, Workload.SAVE_TASKS_SMALL, Workload.SAVE_TASKS_LARGE);

	private static final List<Workload> READS = List.of(Workload.GET_TASK, Workload.GET_TASKS_MEDIAN,
			Workload.GET_TASKS_SLOWEST, Workload.CLEANUP);

	private final Store store;

	private final Path dir;

	private final Sizes sizes;

	private final PrintStream out;

	private StoreRun(Store store, Path dir, Sizes sizes, PrintStream out) {
		this.store = store;
		this.dir = dir;
		this.sizes = sizes;
		this.out = out;
	}

	/**
	 * Run the workloads of one store.
	 * @param args the store's id, a folder for its databases, then the sizes as
	 * {@code key=value}
	 */
	public static void main(String[] args) throws IOException {
		if (args.length < 2) {
			System.err.println("Usage: StoreRun <store> <folder> [size=value ...]");
			System.exit(2);
		}
		Sizes sizes = Sizes.parse(Sizes.full(), Arrays.asList(args).subList(2, args.length));
		new StoreRun(Store.ofId(args[0]), Path.of(args[1]), sizes, System.out).run();
		System.out.flush();
		// Stops whatever a store left running
		System.exit(0);
	}

	private void run() throws IOException {
		runWrites(Files.createDirectories(this.dir.resolve("writes")));
		Path reads = Files.createDirectories(this.dir.resolve("reads"));
		if (load(reads)) {
			runReads(reads);
		}
		else {
			READS.forEach((workload) -> emit(ResultLine.failed(workload, "the tasks could not be loaded")));
		}
		measure(Workload.PEAK_MEMORY, StoreRun::peakMemoryMegabytes);
		emit(ResultLine.of(ResultLine.Kind.NOTE, heapUse()));
		emit(ResultLine.of(ResultLine.Kind.DONE, this.store.id()));
	}

	private void runWrites(Path writes) {
		BenchStore bench;
		try {
			bench = this.store.open(writes);
		}
		catch (Exception ex) {
			WRITES.forEach((workload) -> emit(ResultLine.failed(workload, "could not open the store: " + ex)));
			return;
		}
		try {
			emit(ResultLine.of(ResultLine.Kind.ENGINE, bench.engine()));
			for (int threads : Sizes.SAVE_THREADS) {
				measure(Workload.saveTask(threads), () -> saveTaskRate(bench, threads));
			}
			measure(Workload.SAVE_TASKS_SMALL, () -> saveTasksRate(bench, this.sizes.smallBatch()));
			measure(Workload.SAVE_TASKS_LARGE, () -> saveTasksRate(bench, this.sizes.largeBatch()));
		}
		finally {
			bench.close();
		}
	}

	/**
	 * Save from many threads at once for a fixed time: each thread alternates between a
	 * new pending task and the next state of one of its own earlier tasks.
	 */
	private double saveTaskRate(BenchStore bench, int threads) throws InterruptedException {
		AtomicBoolean stop = new AtomicBoolean();
		LongAdder saves = new LongAdder();
		LongAdder failures = new LongAdder();
		AtomicReference<@Nullable RuntimeException> firstFailure = new AtomicReference<>();
		List<Thread> savers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			SplittableRandom random = new SplittableRandom(threads * 1_000L + t);
			Thread saver = new Thread(() -> {
				Deque<TaskInfo> unfinished = new ArrayDeque<>();
				for (long call = 0; !stop.get(); call++) {
					boolean update = (call % 2 == 1) && !unfinished.isEmpty();
					TaskInfo task = update ? TaskGenerator.next(unfinished.pollFirst()) : TaskGenerator.pending(random);
					try {
						bench.saveTask(task);
						saves.increment();
						if (!task.isCompleted()) {
							unfinished.addLast(task);
						}
					}
					catch (RuntimeException ex) {
						failures.increment();
						firstFailure.compareAndSet(null, ex);
					}
				}
			}, "saver-" + t);
			saver.setDaemon(true);
			savers.add(saver);
		}
		savers.forEach(Thread::start);
		try {
			Thread.sleep(this.sizes.warmUp().toMillis());
			long startSaves = saves.sum();
			long start = System.nanoTime();
			Thread.sleep(this.sizes.measure().toMillis());
			long endSaves = saves.sum();
			long end = System.nanoTime();
			return (endSaves - startSaves) / seconds(end - start);
		}
		finally {
			stop.set(true);
			for (Thread saver : savers) {
				saver.join(TimeUnit.MINUTES.toMillis(2));
				if (saver.isAlive()) {
					emit(ResultLine.of(ResultLine.Kind.PROBLEM,
							"saveTask from " + threads + " threads: a saving thread did not return within 2 minutes"));
					break;
				}
			}
			RuntimeException failure = firstFailure.get();
			if (failure != null) {
				emit(ResultLine.of(ResultLine.Kind.PROBLEM, "saveTask from " + threads + " threads: " + failures.sum()
						+ " saves failed; the first with " + failure));
			}
		}
	}

	/**
	 * Save batches of new tasks until the time budget or the batch count runs out, at
	 * least one batch.
	 */
	private double saveTasksRate(BenchStore bench, int size) {
		SplittableRandom random = new SplittableRandom(size);
		bench.saveTasks(batch(random, Math.min(size, 100)));
		long rows = 0;
		long nanos = 0;
		int batches = 0;
		while (batches < this.sizes.maxBatches() && nanos < this.sizes.batchBudget().toNanos()) {
			List<TaskInfo> batch = batch(random, size);
			long start = System.nanoTime();
			bench.saveTasks(batch);
			nanos += System.nanoTime() - start;
			rows += size;
			batches++;
		}
		emit(ResultLine.of(ResultLine.Kind.NOTE, String.format("saveTasks in batches of %,d: %d batch(es) in %.1f s",
				size, batches, seconds(nanos))));
		return rows / seconds(nanos);
	}

	private static List<TaskInfo> batch(SplittableRandom random, int size) {
		List<TaskInfo> batch = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			batch.add(TaskGenerator.pending(random));
		}
		return batch;
	}

	/**
	 * Load the generated tasks by the store's fast path, then close the store so that the
	 * reads start from the file.
	 */
	private boolean load(Path reads) {
		TaskGenerator generator = new TaskGenerator(this.sizes.tasks(), Instant.now());
		long loading = 0;
		String path = "?";
		long start;
		try (BenchStore bench = this.store.open(reads)) {
			path = bench.bulkLoadPath();
			for (int from = 0; from < this.sizes.tasks(); from += Sizes.LOAD_BATCH) {
				List<TaskInfo> batch = generator.loaded(from, Math.min(from + Sizes.LOAD_BATCH, this.sizes.tasks()));
				long batchStart = System.nanoTime();
				bench.bulkLoad(batch);
				loading += System.nanoTime() - batchStart;
			}
			start = System.nanoTime();
		}
		catch (Exception ex) {
			emit(ResultLine.of(ResultLine.Kind.PROBLEM, "Loading " + this.sizes.tasks() + " tasks failed: " + ex));
			return false;
		}
		long closing = System.nanoTime() - start;
		emit(ResultLine.of(ResultLine.Kind.NOTE,
				String.format("loaded %,d tasks for the reads by %s in batches of %,d: %.1f s, then closed in %.1f s",
						this.sizes.tasks(), path, Sizes.LOAD_BATCH, seconds(loading), seconds(closing))));
		return true;
	}

	private void runReads(Path reads) {
		BenchStore bench;
		try {
			bench = this.store.open(reads);
		}
		catch (Exception ex) {
			READS.forEach((workload) -> emit(ResultLine.failed(workload, "could not open the loaded store: " + ex)));
			return;
		}
		try {
			measure(Workload.GET_TASK, () -> getTaskRate(bench));
			try {
				double[] pages = pageMillis(bench);
				report(Workload.GET_TASKS_MEDIAN, pages[0]);
				report(Workload.GET_TASKS_SLOWEST, pages[1]);
			}
			catch (Exception ex) {
				emit(ResultLine.failed(Workload.GET_TASKS_MEDIAN, ex.toString()));
				emit(ResultLine.failed(Workload.GET_TASKS_SLOWEST, ex.toString()));
			}
			measure(Workload.CLEANUP, () -> cleanupSeconds(bench));
		}
		finally {
			bench.close();
		}
	}

	private double getTaskRate(BenchStore bench) {
		SplittableRandom random = new SplittableRandom(42);
		int warmUp = Math.max(1, Math.min(1_000, this.sizes.maxReads() / 10));
		for (int i = 0; i < warmUp; i++) {
			bench.getTask(TaskGenerator.id(random.nextInt(this.sizes.tasks())));
		}
		int reads = 0;
		int missing = 0;
		long start = System.nanoTime();
		long deadline = start + this.sizes.readBudget().toNanos();
		while (reads < this.sizes.maxReads() && System.nanoTime() < deadline) {
			if (bench.getTask(TaskGenerator.id(random.nextInt(this.sizes.tasks()))).isEmpty()) {
				missing++;
			}
			reads++;
		}
		long nanos = System.nanoTime() - start;
		if (missing > 0) {
			emit(ResultLine.of(ResultLine.Kind.PROBLEM,
					String.format("getTask found no task for %,d of %,d loaded ids", missing, reads)));
		}
		return reads / seconds(nanos);
	}

	/**
	 * Return the median and the slowest time of a page, in milliseconds.
	 */
	private double[] pageMillis(BenchStore bench) {
		for (int i = 0; i < 3; i++) {
			checkPage(bench.getTasks(TaskGenerator.PAGE_CATEGORY, TaskGenerator.PAGE_STATUS, Sizes.PAGE_SIZE, 0));
		}
		List<Long> times = new ArrayList<>();
		long deadline = System.nanoTime() + this.sizes.pageBudget().toNanos();
		while (times.size() < this.sizes.maxPages() && (times.isEmpty() || System.nanoTime() < deadline)) {
			long start = System.nanoTime();
			List<TaskInfo> page = bench.getTasks(TaskGenerator.PAGE_CATEGORY, TaskGenerator.PAGE_STATUS,
					Sizes.PAGE_SIZE, 0);
			times.add(System.nanoTime() - start);
			checkPage(page);
		}
		Collections.sort(times);
		int n = times.size();
		double median = (n % 2 == 1) ? times.get(n / 2) : (times.get(n / 2 - 1) + times.get(n / 2)) / 2.0;
		if (n < this.sizes.maxPages()) {
			emit(ResultLine.of(ResultLine.Kind.NOTE, "getTasks page: " + n + " pages within the time budget"));
		}
		return new double[] { median / 1e6, times.get(n - 1) / 1e6 };
	}

	private void checkPage(List<TaskInfo> page) {
		boolean wrong = page.size() != Sizes.PAGE_SIZE;
		for (int i = 0; i < page.size(); i++) {
			TaskInfo task = page.get(i);
			wrong |= !task.category().equals(TaskGenerator.PAGE_CATEGORY) || task.status() != TaskGenerator.PAGE_STATUS
					|| (i > 0 && task.createdAt().isAfter(page.get(i - 1).createdAt()));
		}
		if (wrong) {
			throw new IllegalStateException("getTasks returned a wrong page: " + page.size() + " tasks, expected "
					+ Sizes.PAGE_SIZE + " of category " + TaskGenerator.PAGE_CATEGORY + " and status "
					+ TaskGenerator.PAGE_STATUS + ", newest first");
		}
	}

	private double cleanupSeconds(BenchStore bench) {
		long start = System.nanoTime();
		int deleted = bench.cleanupOldTasks(TaskGenerator.RETENTION);
		long nanos = System.nanoTime() - start;
		int expected = this.sizes.tasks() / 2;
		if (deleted != expected) {
			emit(ResultLine.of(ResultLine.Kind.PROBLEM,
					String.format("cleanupOldTasks deleted %,d tasks, expected %,d", deleted, expected)));
		}
		return seconds(nanos);
	}

	/**
	 * Return the peak resident memory of this JVM, which Linux reports as VmHWM.
	 */
	private static double peakMemoryMegabytes() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmHWM:")) {
				String kilobytes = line.substring("VmHWM:".length()).replace("kB", "").trim();
				return Long.parseLong(kilobytes) / 1024.0;
			}
		}
		throw new IOException("/proc/self/status has no VmHWM line");
	}

	/**
	 * Describe how much of the peak memory the Java heap may account for: the JVM grows
	 * its heap by its own rules, up to the same maximum for every store.
	 */
	private static String heapUse() {
		long peakUsed = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peakUsed += pool.getPeakUsage().getUsed();
			}
		}
		return String.format("Java heap: the peaks of its pools add up to %,d MB used", peakUsed >> 20);
	}

	private void measure(Workload workload, Measurement measurement) {
		try {
			report(workload, measurement.run());
		}
		catch (Exception ex) {
			emit(ResultLine.failed(workload, ex.toString()));
		}
	}

	private void report(Workload workload, double value) {
		emit(ResultLine.result(workload, value));
	}

	private void emit(ResultLine line) {
		synchronized (this.out) {
			this.out.println(line.format());
			this.out.flush();
		}
	}

	private static double seconds(long nanos) {
		return Math.max(nanos, 1) / 1e9;
	}

	@FunctionalInterface
	private interface Measurement {

		double run() throws Exception;

	}

}
