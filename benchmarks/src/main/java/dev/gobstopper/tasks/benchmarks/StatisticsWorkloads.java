package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskNameStatistics;
import org.jspecify.annotations.Nullable;

/**
 * The statistics a dashboard asks for, over the loaded tasks: counts per status, the
 * tasks of the last 30 days per name, and their completions per hour. Each answer is
 * checked against what was loaded.
 */
final class StatisticsWorkloads {

	private static final Duration WINDOW = Duration.ofDays(30);

	private static final Duration BUCKET = Duration.ofHours(1);

	private final BenchStore bench;

	private final Sizes sizes;

	private final Output output;

	private final LoadedTasks loaded;

	StatisticsWorkloads(BenchStore bench, Sizes sizes, Output output, LoadedTasks loaded) {
		this.bench = bench;
		this.sizes = sizes;
		this.output = output;
		this.loaded = loaded;
	}

	double countTasksMillis() {
		return medianMillis("countTasks", () -> this.bench.countTasks(null), (counts) -> {
			if (counts.total() != this.loaded.tasks()) {
				return String.format("counted %,d tasks, %,d were loaded", counts.total(), this.loaded.tasks());
			}
			return null;
		});
	}

	double statisticsByNameMillis() {
		return medianMillis("statisticsByName",
				() -> this.bench.statisticsByName(Instant.now().minus(WINDOW)), (statistics) -> {
					long total = statistics.stream().mapToLong(TaskNameStatistics::total).sum();
					if (total != this.loaded.createdInWindow()) {
						return String.format("%,d tasks in all, %,d were created in the last 30 days", total,
								this.loaded.createdInWindow());
					}
					for (TaskNameStatistics name : statistics) {
						boolean ordered = name.p50().compareTo(name.p95()) <= 0 && name.p95().compareTo(name.p99()) <= 0
								&& name.p99().compareTo(name.max()) <= 0;
						if (!ordered || name.succeeded() + name.failed() + name.cancelled() > name.total()) {
							return "inconsistent statistics for " + name;
						}
					}
					return null;
				});
	}

	double completionsOverTimeMillis() {
		return medianMillis("completionsOverTime",
				() -> this.bench.completionsOverTime(Instant.now().minus(WINDOW), BUCKET), (buckets) -> {
					long total = buckets.stream().mapToLong(TaskCompletionBucket::total).sum();
					long hours = WINDOW.toHours();
					if (buckets.size() < hours || buckets.size() > hours + 1) {
						return String.format("%,d buckets, expected %,d or %,d", buckets.size(), hours, hours + 1);
					}
					if (total != this.loaded.completedInWindow()) {
						return String.format("%,d completions in all, %,d tasks were completed in the last 30 days",
								total, this.loaded.completedInWindow());
					}
					return null;
				});
	}

	/**
	 * Run a query once to warm up, then up to the most runs or the time budget, at least
	 * once; check the first answer.
	 * @return the median time, in milliseconds
	 */
	private <T> double medianMillis(String query, Supplier<T> run, Check<T> check) {
		String wrong = check.problem(run.get());
		if (wrong != null) {
			this.output.problem(query + ": " + wrong);
		}
		List<Long> times = new ArrayList<>();
		long deadline = System.nanoTime() + this.sizes.statisticsBudget().toNanos();
		while (times.size() < this.sizes.statisticsRuns() && (times.isEmpty() || System.nanoTime() < deadline)) {
			long start = System.nanoTime();
			run.get();
			times.add(System.nanoTime() - start);
		}
		if (times.size() < this.sizes.statisticsRuns()) {
			this.output.note(query + ": " + times.size() + " runs within the time budget");
		}
		return Timing.millis(Timing.median(times));
	}

	/**
	 * Says what is wrong with an answer, if anything.
	 */
	@FunctionalInterface
	private interface Check<T> {

		@Nullable String problem(T answer);

	}

	/**
	 * What the loaded tasks hold, to check the answers against.
	 *
	 * @param tasks the tasks loaded
	 * @param createdInWindow the tasks created in the last 30 days
	 * @param completedInWindow the tasks of a terminal status completed in the last 30 days
	 */
	record LoadedTasks(long tasks, long createdInWindow, long completedInWindow) {

	}

}
