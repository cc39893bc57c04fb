package dev.gobstopper.tasks.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.gobstopper.tasks.TaskInfo;
import org.jspecify.annotations.Nullable;

/**
 * Runs every workload of one store, in a JVM of its own, and prints the figures as
 * {@link ResultLine}s for the parent process.
 * <p>
 * Each family of workloads runs on a database of its own: the writes on a fresh one, the
 * idempotent saves on another, the queue on one loaded with pending tasks, and the reads,
 * statistics and cleanup on one loaded with the generated history. A loaded database is
 * closed and opened again before it is measured, so that every store starts from its
 * files or tables.
 */
public final class StoreRun {

	private static final List<Workload> WRITES = List.of(Workload.SAVE_TASK_1, Workload.SAVE_TASK_8,
			Workload.SAVE_TASK_32, Workload.SAVE_TASKS_SMALL, Workload.SAVE_TASKS_LARGE, Workload.LIGHT_PAGE_FULL,
			Workload.LIGHT_PAGE_SUMMARIES, Workload.LIGHT_PAGE_GAIN);

	private static final List<Workload> READS = List.of(Workload.GET_TASK, Workload.ROUND_TRIP,
			Workload.GET_TASKS_MEDIAN, Workload.GET_TASKS_SLOWEST, Workload.GET_TASKS_UNFILTERED,
			Workload.GET_TASKS_BY_CATEGORY, Workload.GET_TASKS_BY_STATUS, Workload.COUNT_TASKS,
			Workload.STATISTICS_BY_NAME, Workload.COMPLETIONS_OVER_TIME, Workload.GET_TASKS_WHILE_SAVING,
			Workload.POLL, Workload.CLEANUP, Workload.CLEANUP_WHILE_SAVING, Workload.CLEANUP_SAVES_P99,
			Workload.CLEANUP_DELETES_P99);

	private static final List<Workload> CLEANUP_WHILE_SAVING = List.of(Workload.CLEANUP_WHILE_SAVING,
			Workload.CLEANUP_SAVES_P99, Workload.CLEANUP_DELETES_P99);

	private final Store store;

	private final Place place;

	private final Sizes sizes;

	private final Output output;

	private StoreRun(Store store, Place place, Sizes sizes, Output output) {
		this.store = store;
		this.place = place;
		this.sizes = sizes;
		this.output = output;
	}

	/**
	 * Run the workloads of one store.
	 * @param args the store's id, a folder for its files, the JDBC URL of the PostgreSQL,
	 * the prefix of its tables there, then the sizes as {@code key=value}
	 */
	public static void main(String[] args) {
		if (args.length < 4) {
			System.err.println("Usage: StoreRun <store> <folder> <postgres-url> <table-prefix> [size=value ...]");
			System.exit(2);
		}
		Sizes sizes = Sizes.parse(Sizes.full(), Arrays.asList(args).subList(4, args.length));
		Place place = new Place(Path.of(args[1]), args[2], args[3]);
		new StoreRun(Store.ofId(args[0]), place, sizes, new Output(System.out)).run();
		System.out.flush();
		// Stops whatever a store left running
		System.exit(0);
	}

	private void run() {
		phase("writes", WRITES, this::runWrites);
		if (this.store.runs(Workload.SAVE_TASK_IF_ABSENT)) {
			phase("keys", List.of(Workload.SAVE_TASK_IF_ABSENT), (bench) -> this.output.measure(
					Workload.SAVE_TASK_IF_ABSENT, () -> new WriteWorkloads(bench, this.sizes, this.output)
						.saveTaskIfAbsentRate(this.store.promisesOneTaskPerKey())));
		}
		if (this.store.runs(Workload.QUEUE)) {
			Place queue = this.place.database("queue");
			load(queue, List.of(Workload.QUEUE), (bench) -> QueueWorkload.load(bench, this.sizes))
				.ifPresent((tasks) -> phase(queue, List.of(Workload.QUEUE), (bench) -> this.output
					.measure(Workload.QUEUE, () -> new QueueWorkload(bench, this.sizes, this.output).run())));
		}
		Place reads = this.place.database("reads");
		Optional<StatisticsWorkloads.LoadedTasks> history = load(reads, READS, this::loadHistory);
		// A store that cleans up alone too cleans up while saving on a copy of the history
		Place cleanup = null;
		if (history.isPresent() && this.store.runs(Workload.CLEANUP)
				&& this.store.runs(Workload.CLEANUP_WHILE_SAVING)) {
			cleanup = copy(reads, "cleanup");
		}
		history.ifPresent((loaded) -> phase(reads, READS, (bench) -> runReads(bench, loaded)));
		if (cleanup != null) {
			phase(cleanup, CLEANUP_WHILE_SAVING,
					(bench) -> cleanupWhileSaving(new CleanupWorkloads(bench, this.sizes, this.output)));
		}
		this.output.measure(Workload.PEAK_MEMORY, StoreRun::peakMemoryMegabytes);
		this.output.note(heapUse());
		this.output.emit(ResultLine.of(ResultLine.Kind.DONE, this.store.id()));
	}

	private void runWrites(BenchStore bench) {
		this.output.emit(ResultLine.of(ResultLine.Kind.ENGINE, bench.engine()));
		WriteWorkloads writes = new WriteWorkloads(bench, this.sizes, this.output);
		for (int threads : Sizes.SAVE_THREADS) {
			this.output.measure(Workload.saveTask(threads), () -> writes.saveTaskRate(threads));
		}
		this.output.measure(Workload.SAVE_TASKS_SMALL, () -> writes.saveTasksRate(this.sizes.smallBatch()));
		this.output.measure(Workload.SAVE_TASKS_LARGE, () -> writes.saveTasksRate(this.sizes.largeBatch()));
		try {
			double[] millis = writes.lightPageMillis();
			this.output.result(Workload.LIGHT_PAGE_FULL, millis[0]);
			this.output.result(Workload.LIGHT_PAGE_SUMMARIES, millis[1]);
			this.output.result(Workload.LIGHT_PAGE_GAIN, millis[0] / millis[1]);
		}
		catch (RuntimeException ex) {
			failed(List.of(Workload.LIGHT_PAGE_FULL, Workload.LIGHT_PAGE_SUMMARIES, Workload.LIGHT_PAGE_GAIN),
					ex.toString());
		}
	}

	/**
	 * Load the generated history by the store's fast path.
	 */
	private StatisticsWorkloads.LoadedTasks loadHistory(BenchStore bench) {
		TaskGenerator generator = new TaskGenerator(this.sizes.tasks(), Instant.now());
		Instant window = Instant.now().minus(Duration.ofDays(30));
		long created = 0;
		long completed = 0;
		long nanos = 0;
		for (int from = 0; from < this.sizes.tasks(); from += Sizes.LOAD_BATCH) {
			List<TaskInfo> batch = generator.loaded(from, Math.min(from + Sizes.LOAD_BATCH, this.sizes.tasks()));
			for (TaskInfo task : batch) {
				created += task.createdAt().isBefore(window) ? 0 : 1;
				completed += (task.isCompleted() && !task.completedAt().isBefore(window)) ? 1 : 0;
			}
			long start = System.nanoTime();
			bench.bulkLoad(batch);
			nanos += System.nanoTime() - start;
		}
		this.output.note(String.format("loaded %,d tasks for the reads by %s in batches of %,d: %.1f s",
				this.sizes.tasks(), bench.bulkLoadPath(), Sizes.LOAD_BATCH, Timing.seconds(nanos)));
		return new StatisticsWorkloads.LoadedTasks(this.sizes.tasks(), created, completed);
	}

	private void runReads(BenchStore bench, StatisticsWorkloads.LoadedTasks loaded) {
		ReadWorkloads reads = new ReadWorkloads(bench, this.sizes, this.output);
		this.output.measure(Workload.GET_TASK, reads::getTaskRate);
		if (this.store.runs(Workload.ROUND_TRIP)) {
			this.output.measure(Workload.ROUND_TRIP, reads::roundTripRate);
		}
		try {
			double[] page = reads.pageMillis(TaskGenerator.PAGE_CATEGORY, TaskGenerator.PAGE_STATUS);
			this.output.result(Workload.GET_TASKS_MEDIAN, page[0]);
			this.output.result(Workload.GET_TASKS_SLOWEST, page[1]);
		}
		catch (RuntimeException ex) {
			failed(List.of(Workload.GET_TASKS_MEDIAN, Workload.GET_TASKS_SLOWEST), ex.toString());
		}
		if (this.store.runs(Workload.GET_TASKS_UNFILTERED)) {
			this.output.measure(Workload.GET_TASKS_UNFILTERED, () -> reads.pageMillis(null, null)[0]);
			this.output.measure(Workload.GET_TASKS_BY_CATEGORY,
					() -> reads.pageMillis(TaskGenerator.PAGE_CATEGORY, null)[0]);
			this.output.measure(Workload.GET_TASKS_BY_STATUS,
					() -> reads.pageMillis(null, TaskGenerator.PAGE_STATUS)[0]);
		}
		StatisticsWorkloads statistics = new StatisticsWorkloads(bench, this.sizes, this.output, loaded);
		this.output.measure(Workload.COUNT_TASKS, statistics::countTasksMillis);
		this.output.measure(Workload.STATISTICS_BY_NAME, statistics::statisticsByNameMillis);
		this.output.measure(Workload.COMPLETIONS_OVER_TIME, statistics::completionsOverTimeMillis);
		// The workloads from here on save tasks, which the statistics would count
		if (this.store.runs(Workload.GET_TASKS_WHILE_SAVING)) {
			this.output.measure(Workload.GET_TASKS_WHILE_SAVING, reads::pageWhileSavingMillis);
		}
		this.output.measure(Workload.POLL, reads::pollRate);
		CleanupWorkloads cleanup = new CleanupWorkloads(bench, this.sizes, this.output);
		if (this.store.runs(Workload.CLEANUP)) {
			this.output.measure(Workload.CLEANUP, cleanup::cleanupSeconds);
		}
		else if (this.store.runs(Workload.CLEANUP_WHILE_SAVING)) {
			cleanupWhileSaving(cleanup);
		}
	}

	private void cleanupWhileSaving(CleanupWorkloads cleanup) {
		try {
			double[] figures = cleanup.cleanupWhileSaving();
			this.output.result(Workload.CLEANUP_WHILE_SAVING, figures[0]);
			this.output.result(Workload.CLEANUP_SAVES_P99, figures[1]);
			this.output.result(Workload.CLEANUP_DELETES_P99, figures[2]);
		}
		catch (Exception ex) {
			failed(CLEANUP_WHILE_SAVING, ex.toString());
		}
	}

	/**
	 * Copy the files of a closed embedded database to another place of the store.
	 * @return the copy, or {@code null} if it could not be made; its workloads fail then
	 */
	private @Nullable Place copy(Place database, String name) {
		Place copy = this.place.database(name);
		try (Stream<Path> files = Files.list(database.dir())) {
			Files.createDirectories(copy.dir());
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Files.copy(file, copy.dir().resolve(file.getFileName()));
			}
			return copy;
		}
		catch (IOException ex) {
			failed(CLEANUP_WHILE_SAVING, "could not copy the loaded database: " + ex);
			return null;
		}
	}

	private void phase(String database, List<Workload> workloads, Phase phase) {
		phase(this.place.database(database), workloads, phase);
	}

	/**
	 * Open the store at a place, run workloads on it, close it, and drop its tables if it
	 * keeps them in PostgreSQL. If the store cannot be opened, the workloads fail.
	 */
	private void phase(Place database, List<Workload> workloads, Phase phase) {
		BenchStore bench;
		try {
			bench = this.store.open(database);
		}
		catch (Exception ex) {
			failed(workloads, "could not open the store: " + ex);
			discard(database);
			return;
		}
		try {
			phase.run(bench);
		}
		finally {
			bench.close();
			discard(database);
		}
	}

	/**
	 * Load a database, settle it and close it.
	 * @return what the loader says of what it loaded, or empty if it could not load; the
	 * workloads fail then
	 */
	private <T> Optional<T> load(Place database, List<Workload> workloads, Function<BenchStore, T> loader) {
		T loaded;
		long closing;
		try (BenchStore bench = this.store.open(database)) {
			loaded = loader.apply(bench);
			long start = System.nanoTime();
			bench.settle();
			this.output.note(String.format("settled the loaded %s database in %.1f s", database.dir().getFileName(),
					Timing.seconds(System.nanoTime() - start)));
			closing = System.nanoTime();
		}
		catch (Exception ex) {
			this.output.problem("Loading the " + database.dir().getFileName() + " database failed: " + ex);
			failed(workloads, "the tasks could not be loaded");
			discard(database);
			return Optional.empty();
		}
		this.output.note(String.format("closed the loaded %s database in %.1f s", database.dir().getFileName(),
				Timing.seconds(System.nanoTime() - closing)));
		return Optional.of(loaded);
	}

	private void discard(Place database) {
		if (this.store.usesPostgres()) {
			try {
				Postgres.dropTables(database.postgresUrl(), database.table());
			}
			catch (Exception ex) {
				this.output.note("could not drop the tables " + database.table() + "*: " + ex);
			}
		}
	}

	private void failed(List<Workload> workloads, String reason) {
		workloads.stream().filter(this.store::runs).forEach((workload) -> this.output.failed(workload, reason));
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

	/**
	 * Workloads run on an open store.
	 */
	@FunctionalInterface
	private interface Phase {

		void run(BenchStore bench);

	}

}
