package dev.gobstopper.tasks.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The benchmark's figures, printed as tables: every figure of every store, then each
 * workload with the ratio of each store's figure to every other store's that runs it,
 * then what was noted while measuring and how the figures compare with the targets.
 */
final class Report {

	private final Sizes sizes;

	private final List<String> jvmOptions;

	private final List<StoreResults> results;

	private final ZonedDateTime date = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);

	Report(Sizes sizes, List<String> jvmOptions, List<StoreResults> results) {
		this.sizes = sizes;
		this.jvmOptions = jvmOptions;
		this.results = results;
	}

	List<StoreResults> results() {
		return this.results;
	}

	/**
	 * Return whether every store produced the figure of every workload it runs.
	 */
	boolean complete() {
		return this.results.stream()
			.allMatch((store) -> store.done() && store.failures().isEmpty()
					&& store.figures().keySet().equals(store.store().workloads()));
	}

	void print(PrintStream out) {
		printHeader(out);
		printSummary(out);
		printRatios(out);
		printNotes(out);
		if (this.sizes.isFull()) {
			new Targets(this.results).print(out);
		}
		else {
			out.println();
			out.println("The targets are checked only at the full sizes.");
		}
		out.flush();
	}

	private void printHeader(PrintStream out) {
		Runtime runtime = Runtime.getRuntime();
		out.println("gobstopper-tasks benchmark, " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(this.date)
				+ (this.sizes.isFull() ? "" : " (not the full sizes)"));
		out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
				+ System.getProperty("java.vendor") + "), " + runtime.availableProcessors() + " CPUs, "
				+ System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		out.println("Each store runs alone in its own JVM (" + String.join(" ", this.jvmOptions)
				+ "), one after another, on new files in a temporary folder or new tables in PostgreSQL.");
		out.printf(Locale.ROOT,
				"saveTask: %s warm-up, then %s measured, each thread alternating a new task and the next state "
						+ "of one of its earlier tasks.%n",
				seconds(this.sizes.warmUp()), seconds(this.sizes.measure()));
		out.printf(Locale.ROOT, "saveTasks: new tasks, up to %d batches of each size or %s per size, at least one.%n",
				this.sizes.maxBatches(), seconds(this.sizes.batchBudget()));
		out.printf(Locale.ROOT,
				"saveTaskIfAbsent: %d threads, %.0f%% of the calls with a recent key, timed as saveTask. Queue: %,d "
						+ "pending tasks, %d workers, up to %s. Light read: %,d tasks with 10 KB results.%n",
				Sizes.IDEMPOTENT_THREADS, 100 * Sizes.DUPLICATE_SHARE, this.sizes.queueTasks(), Sizes.QUEUE_WORKERS,
				seconds(this.sizes.queueBudget()), this.sizes.lightTasks());
		out.printf(Locale.ROOT,
				"Reads, statistics and cleanup: %,d tasks over 120 days (6 categories, 36 names, every status), "
						+ "loaded by each store's fastest path, then the store closed and opened again; getTask up to "
						+ "%,d reads or %s; pages up to %d or %s of each kind; statistics up to %d runs or %s each; "
						+ "cleanup with a retention of %d days.%n",
				this.sizes.tasks(), this.sizes.maxReads(), seconds(this.sizes.readBudget()), this.sizes.maxPages(),
				seconds(this.sizes.pageBudget()), this.sizes.statisticsRuns(), seconds(this.sizes.statisticsBudget()),
				TaskGenerator.RETENTION.toDays());
		out.println("A '-' marks a workload the store does not run.");
		out.println();
		out.println("Stores");
		for (StoreResults store : this.results) {
			out.printf("  %-13s %s: %s%n", store.store().id(), store.engine(), store.store().description());
		}
	}

	private void printSummary(PrintStream out) {
		out.println();
		out.println("Figures");
		List<List<String>> rows = new ArrayList<>();
		List<String> header = new ArrayList<>(List.of("workload", "unit"));
		this.results.forEach((store) -> header.add(store.store().id()));
		rows.add(header);
		for (Workload workload : Workload.values()) {
			List<String> row = new ArrayList<>(List.of(workload.title(this.sizes), workload.unit()));
			for (StoreResults store : this.results) {
				OptionalDouble figure = store.figure(workload);
				row.add(!store.store().runs(workload) ? "-"
						: figure.isPresent() ? number(figure.getAsDouble()) : "failed");
			}
			rows.add(row);
		}
		printTable(out, rows, 2);
	}

	private void printRatios(PrintStream out) {
		out.println();
		out.println("Ratios: this store's figure divided by the other store's. For saves/s, rows/s, reads/s, "
				+ "tasks/s and x higher is better; for ms, s and MB lower is better.");
		for (Workload workload : Workload.values()) {
			List<StoreResults> running = this.results.stream().filter((store) -> store.store().runs(workload)).toList();
			if (running.size() < 2) {
				continue;
			}
			out.println();
			out.println(workload.title(this.sizes) + " (" + workload.unit() + ", "
					+ (workload.higherIsBetter() ? "higher" : "lower") + " is better)");
			List<List<String>> rows = new ArrayList<>();
			List<String> header = new ArrayList<>(List.of("store", "figure"));
			running.forEach((store) -> header.add("vs " + store.store().id()));
			rows.add(header);
			for (StoreResults store : running) {
				OptionalDouble figure = store.figure(workload);
				List<String> row = new ArrayList<>(List.of(store.store().id(),
						figure.isPresent() ? number(figure.getAsDouble()) + " " + workload.unit() : "failed"));
				for (StoreResults other : running) {
					OptionalDouble otherFigure = other.figure(workload);
					if (other == store) {
						row.add("-");
					}
					else if (figure.isPresent() && otherFigure.isPresent() && otherFigure.getAsDouble() > 0) {
						row.add(ratio(figure.getAsDouble() / otherFigure.getAsDouble()));
					}
					else {
						row.add("n/a");
					}
				}
				rows.add(row);
			}
			printTable(out, rows, 1);
		}
	}

	private void printNotes(PrintStream out) {
		out.println();
		out.println("Notes");
		for (StoreResults store : this.results) {
			for (String note : store.notes()) {
				out.println("  " + store.store().id() + ": " + note);
			}
		}
		boolean clean = true;
		for (StoreResults store : this.results) {
			for (String problem : store.problems()) {
				if (clean) {
					out.println();
					out.println("Problems seen while measuring");
					clean = false;
				}
				out.println("  " + store.store().id() + ": " + problem);
			}
			store.failures()
				.forEach((workload, reason) -> out.println("  " + store.store().id() + ": " + workload.title(this.sizes)
						+ " failed: " + reason));
		}
	}

	/**
	 * Describe a line from a store's JVM for the progress output.
	 */
	static String describe(ResultLine line) {
		Workload workload = line.workload();
		return switch (line.kind()) {
			case RESULT -> workload.key() + ": " + number(line.value()) + " " + workload.unit();
			case FAILED -> workload.key() + " failed: " + line.text();
			case DONE -> "done";
			default -> line.kind().name().toLowerCase(Locale.ROOT) + ": " + line.text();
		};
	}

	/**
	 * Print rows as columns; the first {@code leftAligned} columns align left, the others
	 * right, as numbers do.
	 */
	private static void printTable(PrintStream out, List<List<String>> rows, int leftAligned) {
		int columns = rows.get(0).size();
		int[] widths = new int[columns];
		for (List<String> row : rows) {
			for (int i = 0; i < columns; i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		for (List<String> row : rows) {
			StringBuilder line = new StringBuilder(" ");
			for (int i = 0; i < columns; i++) {
				String cell = row.get(i);
				String padding = " ".repeat(widths[i] - cell.length());
				line.append(' ').append(' ');
				line.append((i < leftAligned) ? cell + padding : padding + cell);
			}
			out.println(line.toString().stripTrailing());
		}
	}

	static String number(double value) {
		double magnitude = Math.abs(value);
		if (magnitude >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, (magnitude >= 10) ? "%.1f" : "%.2f", value);
	}

	static String ratio(double ratio) {
		return number(ratio) + "x";
	}

	private static String seconds(Duration duration) {
		return number(duration.toMillis() / 1000.0) + " s";
	}

}
