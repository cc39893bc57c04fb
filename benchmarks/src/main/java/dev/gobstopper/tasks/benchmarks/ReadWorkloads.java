package dev.gobstopper.tasks.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * The workloads that read the loaded tasks: point reads, pages, and reads of recent tasks
 * while others are saved.
 */
final class ReadWorkloads {

	private final BenchStore bench;

	private final Sizes sizes;

	private final Output output;

	ReadWorkloads(BenchStore bench, Sizes sizes, Output output) {
		this.bench = bench;
		this.sizes = sizes;
		this.output = output;
	}

	double getTaskRate() {
		SplittableRandom random = new SplittableRandom(42);
		int[] missing = new int[1];
		double rate = readRate(() -> {
			if (this.bench.getTask(TaskGenerator.id(random.nextInt(this.sizes.tasks()))).isEmpty()) {
				missing[0]++;
			}
		});
		if (missing[0] > 0) {
			this.output.problem(String.format("getTask found no task for %,d loaded ids", missing[0]));
		}
		return rate;
	}

	double roundTripRate() {
		return readRate(this.bench::roundTrip);
	}

	/**
	 * Run a read from one thread, after a warm-up, up to the most reads or the time
	 * budget.
	 * @return the reads per second
	 */
	private double readRate(Runnable read) {
		int warmUp = Math.max(1, Math.min(1_000, this.sizes.maxReads() / 10));
		for (int i = 0; i < warmUp; i++) {
			read.run();
		}
		int reads = 0;
		long start = System.nanoTime();
		long deadline = start + this.sizes.readBudget().toNanos();
		while (reads < this.sizes.maxReads() && System.nanoTime() < deadline) {
			read.run();
			reads++;
		}
		return reads / Timing.seconds(System.nanoTime() - start);
	}

	/**
	 * Return the median and the slowest time of a page with the given filters, in
	 * milliseconds.
	 */
	double[] pageMillis(@Nullable String category, @Nullable TaskStatus status) {
		for (int i = 0; i < 3; i++) {
			checkPage(this.bench.getTasks(category, status, Sizes.PAGE_SIZE, 0), category, status);
		}
		List<Long> times = timePages(category, status, () -> {
		});
		return new double[] { Timing.millis(Timing.median(times)), Timing.millis(Timing.slowest(times)) };
	}

	/**
	 * Return the median time of a page, in milliseconds, while another thread keeps
	 * saving, so that the store holds saves it has not merged into its table yet.
	 */
	double pageWhileSavingMillis() throws InterruptedException {
		String category = TaskGenerator.PAGE_CATEGORY;
		TaskStatus status = TaskGenerator.PAGE_STATUS;
		Savers saver = new Savers(this.bench, 1, 77, null);
		long[] unmerged = new long[2];
		List<Long> times;
		long start = System.nanoTime();
		long saves;
		try {
			Thread.sleep(this.sizes.warmUp().toMillis());
			times = timePages(category, status, () -> {
				long backlog = this.bench.unmergedSaves();
				unmerged[0] += (backlog > 0) ? 1 : 0;
				unmerged[1] += backlog;
			});
		}
		finally {
			saves = saver.saves();
			saver.stop("getTasks while saving", this.output);
		}
		this.output.note(String.format("getTasks while saving: %,d saves/s meanwhile; unmerged saves before %d of %d "
				+ "pages, %,d on average", Math.round(saves / Timing.seconds(System.nanoTime() - start)), unmerged[0],
				times.size(), unmerged[1] / times.size()));
		return Timing.millis(Timing.median(times));
	}

	/**
	 * Time pages up to the most pages or the time budget, at least one, checking each.
	 */
	private List<Long> timePages(@Nullable String category, @Nullable TaskStatus status, Runnable beforeEach) {
		List<Long> times = new ArrayList<>();
		long deadline = System.nanoTime() + this.sizes.pageBudget().toNanos();
		while (times.size() < this.sizes.maxPages() && (times.isEmpty() || System.nanoTime() < deadline)) {
			beforeEach.run();
			long start = System.nanoTime();
			List<TaskInfo> page = this.bench.getTasks(category, status, Sizes.PAGE_SIZE, 0);
			times.add(System.nanoTime() - start);
			checkPage(page, category, status);
		}
		if (times.size() < this.sizes.maxPages()) {
			this.output.note(String.format("getTasks page (%s, %s): %d pages within the time budget",
					(category != null) ? category : "any category", (status != null) ? status.value() : "any status",
					times.size()));
		}
		return times;
	}

	private static void checkPage(List<TaskInfo> page, @Nullable String category, @Nullable TaskStatus status) {
		boolean wrong = page.size() != Sizes.PAGE_SIZE;
		for (int i = 0; i < page.size(); i++) {
			TaskInfo task = page.get(i);
			wrong |= (category != null && !task.category().equals(category))
					|| (status != null && task.status() != status)
					|| (i > 0 && task.createdAt().isAfter(page.get(i - 1).createdAt()));
		}
		if (wrong) {
			throw new IllegalStateException("getTasks returned a wrong page: " + page.size() + " tasks, expected "
					+ Sizes.PAGE_SIZE + " of category " + category + " and status " + status + ", newest first");
		}
	}

	/**
	 * Read random tasks among the last saved from many threads, while other threads save
	 * new tasks and update them. Every task whose save has returned must be found.
	 * @return the reads per second
	 */
	double pollRate() throws InterruptedException {
		RecentIds recent = new RecentIds(Sizes.POLL_RECENT);
		Savers writers = new Savers(this.bench, Sizes.POLL_WRITERS, 88, recent);
		AtomicBoolean stop = new AtomicBoolean();
		LongAdder reads = new LongAdder();
		LongAdder missing = new LongAdder();
		LongAdder failures = new LongAdder();
		AtomicReference<@Nullable RuntimeException> firstFailure = new AtomicReference<>();
		List<Thread> readers = new ArrayList<>();
		for (int r = 0; r < Sizes.POLL_READERS; r++) {
			SplittableRandom random = new SplittableRandom(8_000 + r);
			Thread reader = new Thread(() -> {
				while (!stop.get()) {
					String id = recent.random(random);
					if (id == null) {
						Thread.yield();
						continue;
					}
					try {
						if (this.bench.getTask(id).isEmpty()) {
							missing.increment();
						}
						reads.increment();
					}
					catch (RuntimeException ex) {
						failures.increment();
						firstFailure.compareAndSet(null, ex);
					}
				}
			}, "reader-" + r);
			reader.setDaemon(true);
			readers.add(reader);
		}
		readers.forEach(Thread::start);
		double rate;
		double saveRate;
		try {
			Thread.sleep(this.sizes.warmUp().toMillis());
			long startReads = reads.sum();
			long startSaves = writers.saves();
			long start = System.nanoTime();
			Thread.sleep(this.sizes.measure().toMillis());
			double seconds = Timing.seconds(System.nanoTime() - start);
			rate = (reads.sum() - startReads) / seconds;
			saveRate = (writers.saves() - startSaves) / seconds;
		}
		finally {
			stop.set(true);
			for (Thread reader : readers) {
				reader.join(TimeUnit.MINUTES.toMillis(2));
			}
			writers.stop("poll", this.output);
		}
		this.output.note(String.format("poll: the %d writers saved %,d tasks/s meanwhile", Sizes.POLL_WRITERS,
				Math.round(saveRate)));
		if (missing.sum() > 0) {
			this.output.problem(String.format("poll: getTask found no task for %,d of %,d reads of saved tasks",
					missing.sum(), reads.sum()));
		}
		if (firstFailure.get() != null) {
			this.output.problem("poll: " + failures.sum() + " reads failed; the first with " + firstFailure.get());
		}
		return rate;
	}

}
