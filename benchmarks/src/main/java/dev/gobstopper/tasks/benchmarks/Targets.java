package dev.gobstopper.tasks.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Issue 3's targets for the task storage, checked against the figures of one run.
 */
final class Targets {

	private final List<StoreResults> results;

	Targets(List<StoreResults> results) {
		this.results = results;
	}

	void print(PrintStream out) {
		out.println();
		out.println("Issue 3's targets for gobstopper");
		atLeastRatio(out, "saveTask from 32 threads >= 1.0x sqlite's durable per-row upsert from 1 thread",
				Workload.SAVE_TASK_32, Store.SQLITE, Workload.SAVE_TASK_1, 1.0);
		atLeastRatio(out, "saveTask from 8 threads >= 0.6x sqlite's durable per-row upsert from 1 thread",
				Workload.SAVE_TASK_8, Store.SQLITE, Workload.SAVE_TASK_1, 0.6);
		atLeastRatio(out, "saveTask from 8 threads > 10x duckdb-naive from 8 threads", Workload.SAVE_TASK_8,
				Store.DUCKDB_NAIVE, Workload.SAVE_TASK_8, 10.0);
		bound(out, "saveTasks in batches of 10,000 >= 100,000 rows/s", Workload.SAVE_TASKS_LARGE, 100_000, true);
		atLeastRatio(out, "getTask >= 2x duckdb-naive", Workload.GET_TASK, Store.DUCKDB_NAIVE, Workload.GET_TASK, 2.0);
		bound(out, "getTasks page over 1,000,000 tasks <= 10 ms (median)", Workload.GET_TASKS_MEDIAN, 10, false);
		bound(out, "getTasks page over 1,000,000 tasks <= 10 ms (slowest)", Workload.GET_TASKS_SLOWEST, 10, false);
		bound(out, "cleanup of 500,000 of 1,000,000 tasks <= 2 s", Workload.CLEANUP, 2, false);
	}

	private void atLeastRatio(PrintStream out, String target, Workload workload, Store peer, Workload peerWorkload,
			double least) {
		OptionalDouble own = figure(Store.GOBSTOPPER, workload);
		OptionalDouble other = figure(peer, peerWorkload);
		if (own.isEmpty() || other.isEmpty() || other.getAsDouble() <= 0) {
			out.println("  " + target + ": no figure");
			return;
		}
		double ratio = own.getAsDouble() / other.getAsDouble();
		String verdict = (ratio >= least) ? "met"
				: String.format(Locale.ROOT, "MISSED, %.0f%% of the target", 100 * ratio / least);
		out.println("  " + target + ": " + Report.ratio(ratio) + ", " + verdict);
	}

	private void bound(PrintStream out, String target, Workload workload, double limit, boolean atLeast) {
		OptionalDouble own = figure(Store.GOBSTOPPER, workload);
		if (own.isEmpty()) {
			out.println("  " + target + ": no figure");
			return;
		}
		double value = own.getAsDouble();
		String verdict;
		if (atLeast) {
			verdict = (value >= limit) ? "met"
					: String.format(Locale.ROOT, "MISSED, %.0f%% of the target", 100 * value / limit);
		}
		else {
			verdict = (value <= limit) ? "met" : "MISSED, " + Report.ratio(value / limit) + " the limit";
		}
		out.println("  " + target + ": " + Report.number(value) + " " + workload.unit() + ", " + verdict);
	}

	private OptionalDouble figure(Store store, Workload workload) {
		Optional<StoreResults> results = this.results.stream().filter((r) -> r.store() == store).findFirst();
		return results.isPresent() ? results.get().figure(workload) : OptionalDouble.empty();
	}

}
