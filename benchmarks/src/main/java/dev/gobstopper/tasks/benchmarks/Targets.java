package dev.gobstopper.tasks.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The targets for the task storages, checked against the figures of one run: most as
 * ratios to a peer measured in the same run, the others as absolute bounds.
 */
final class Targets {

	private final List<StoreResults> results;

	Targets(List<StoreResults> results) {
		this.results = results;
	}

	void print(PrintStream out) {
		out.println();
		out.println("Targets");
		printGobstopper(out);
		printGobstopperPg(out);
	}

	private void printGobstopper(PrintStream out) {
		if (!ran(out, Store.GOBSTOPPER)) {
			return;
		}
		ratio(out, "saveTask from 1 thread >= 0.3x sqlite's durable per-row upsert from 1 thread", Store.GOBSTOPPER,
				Workload.SAVE_TASK_1, Store.SQLITE, Workload.SAVE_TASK_1, 0.3);
		ratio(out, "saveTask from 8 threads >= 1.0x sqlite's durable per-row upsert from 1 thread", Store.GOBSTOPPER,
				Workload.SAVE_TASK_8, Store.SQLITE, Workload.SAVE_TASK_1, 1.0);
		ratio(out, "saveTask from 32 threads >= 1.0x sqlite's durable per-row upsert from 1 thread",
				Store.GOBSTOPPER, Workload.SAVE_TASK_32, Store.SQLITE, Workload.SAVE_TASK_1, 1.0);
		ratio(out, "saveTask from 8 threads >= 10x duckdb-naive from 8 threads", Store.GOBSTOPPER, Workload.SAVE_TASK_8,
				Store.DUCKDB_NAIVE, Workload.SAVE_TASK_8, 10.0);
		bound(out, "saveTasks in batches of 10,000 >= 100,000 rows/s", Store.GOBSTOPPER, Workload.SAVE_TASKS_LARGE,
				100_000);
		ratio(out, "getTask >= 2x duckdb-naive", Store.GOBSTOPPER, Workload.GET_TASK, Store.DUCKDB_NAIVE,
				Workload.GET_TASK, 2.0);
		bound(out, "getTasks page over 1,000,000 tasks <= 10 ms (median)", Store.GOBSTOPPER,
				Workload.GET_TASKS_MEDIAN, 10);
		bound(out, "getTasks page over 1,000,000 tasks <= 10 ms (slowest)", Store.GOBSTOPPER,
				Workload.GET_TASKS_SLOWEST, 10);
		bound(out, "getTasks page over 1,000,000 tasks while saves wait unmerged <= 10 ms (median)", Store.GOBSTOPPER,
				Workload.GET_TASKS_WHILE_SAVING, 10);
		bound(out, "cleanup of 500,000 of 1,000,000 tasks <= 2 s", Store.GOBSTOPPER, Workload.CLEANUP, 2);
		bound(out, "queue >= 1,000 tasks/s", Store.GOBSTOPPER, Workload.QUEUE, 1_000);
		ratio(out, "queue >= 5x duckdb-naive", Store.GOBSTOPPER, Workload.QUEUE, Store.DUCKDB_NAIVE, Workload.QUEUE,
				5.0);
		bound(out, "countTasks over 1,000,000 tasks <= 10 ms (median)", Store.GOBSTOPPER, Workload.COUNT_TASKS, 10);
		bound(out, "statisticsByName over 30 days <= 50 ms (median)", Store.GOBSTOPPER, Workload.STATISTICS_BY_NAME,
				50);
		bound(out, "completionsOverTime of 30 days by hour <= 30 ms (median)", Store.GOBSTOPPER,
				Workload.COMPLETIONS_OVER_TIME, 30);
		ratio(out, "poll >= 1.0x sqlite", Store.GOBSTOPPER, Workload.POLL, Store.SQLITE, Workload.POLL, 1.0);
		bound(out, "p99 of saveTask during a cleanup of 500,000 of 1,000,000 tasks < 100 ms", Store.GOBSTOPPER,
				Workload.CLEANUP_SAVES_P99, 100);
		bound(out, "p99 of deleteTask during that cleanup < 100 ms", Store.GOBSTOPPER, Workload.CLEANUP_DELETES_P99,
				100);
	}

	private void printGobstopperPg(PrintStream out) {
		if (!ran(out, Store.GOBSTOPPER_PG)) {
			return;
		}
		ratio(out, "saveTask from 32 threads >= 2x pg-naive from 32 threads", Store.GOBSTOPPER_PG,
				Workload.SAVE_TASK_32, Store.PG_NAIVE, Workload.SAVE_TASK_32, 2.0);
		ratio(out, "saveTasks in batches of 10,000 >= 2x pg-naive", Store.GOBSTOPPER_PG, Workload.SAVE_TASKS_LARGE,
				Store.PG_NAIVE, Workload.SAVE_TASKS_LARGE, 2.0);
		ratio(out, "getTask >= 0.9x pg-naive", Store.GOBSTOPPER_PG, Workload.GET_TASK, Store.PG_NAIVE,
				Workload.GET_TASK, 0.9);
		bound(out, "getTasks page over 1,000,000 tasks, no filter <= 1 ms (median)", Store.GOBSTOPPER_PG,
				Workload.GET_TASKS_UNFILTERED, 1);
		bound(out, "getTasks page over 1,000,000 tasks, one category <= 1 ms (median)", Store.GOBSTOPPER_PG,
				Workload.GET_TASKS_BY_CATEGORY, 1);
		bound(out, "getTasks page over 1,000,000 tasks, one status <= 1 ms (median)", Store.GOBSTOPPER_PG,
				Workload.GET_TASKS_BY_STATUS, 1);
		bound(out, "getTasks page over 1,000,000 tasks, one category and one status <= 1 ms (median)",
				Store.GOBSTOPPER_PG, Workload.GET_TASKS_MEDIAN, 1);
		ratio(out, "cleanup of 500,000 of 1,000,000 tasks while 8 threads save and 2 delete <= 2x pg-naive's DELETE",
				Store.GOBSTOPPER_PG, Workload.CLEANUP_WHILE_SAVING, Store.PG_NAIVE, Workload.CLEANUP_WHILE_SAVING, 2.0);
		bound(out, "p99 of the saves during that cleanup <= 50 ms", Store.GOBSTOPPER_PG, Workload.CLEANUP_SAVES_P99,
				50);
		ratio(out, "queue >= 2x pg-naive", Store.GOBSTOPPER_PG, Workload.QUEUE, Store.PG_NAIVE, Workload.QUEUE, 2.0);
	}

	/**
	 * Print the heading of a store's targets, or say that it did not run.
	 * @return whether it ran
	 */
	private boolean ran(PrintStream out, Store store) {
		boolean ran = results(store).isPresent();
		out.println("  " + store.id() + (ran ? "" : ": not in this run"));
		return ran;
	}

	/**
	 * Check a ratio to a peer's figure: at least the given one where higher is better, at
	 * most where lower is.
	 */
	private void ratio(PrintStream out, String target, Store store, Workload workload, Store peer,
			Workload peerWorkload, double limit) {
		OptionalDouble own = figure(store, workload);
		OptionalDouble other = figure(peer, peerWorkload);
		if (results(peer).isEmpty()) {
			out.println("    " + target + ": " + peer.id() + " not in this run");
			return;
		}
		if (own.isEmpty() || other.isEmpty() || other.getAsDouble() <= 0) {
			out.println("    " + target + ": no figure");
			return;
		}
		double ratio = own.getAsDouble() / other.getAsDouble();
		out.println("    " + target + ": " + Report.ratio(ratio) + ", " + verdict(workload, ratio, limit));
	}

	/**
	 * Check a figure against a bound: a floor where higher is better, a ceiling where
	 * lower is.
	 */
	private void bound(PrintStream out, String target, Store store, Workload workload, double limit) {
		OptionalDouble own = figure(store, workload);
		if (own.isEmpty()) {
			out.println("    " + target + ": no figure");
			return;
		}
		double value = own.getAsDouble();
		out.println("    " + target + ": " + Report.number(value) + " " + workload.unit() + ", "
				+ verdict(workload, value, limit));
	}

	private static String verdict(Workload workload, double value, double limit) {
		if (workload.higherIsBetter()) {
			return (value >= limit) ? "met"
					: String.format(Locale.ROOT, "MISSED, %.0f%% of the target", 100 * value / limit);
		}
		return (value <= limit) ? "met" : "MISSED, " + Report.ratio(value / limit) + " the limit";
	}

	private OptionalDouble figure(Store store, Workload workload) {
		Optional<StoreResults> results = results(store);
		return results.isPresent() ? results.get().figure(workload) : OptionalDouble.empty();
	}

	private Optional<StoreResults> results(Store store) {
		return this.results.stream().filter((r) -> r.store() == store).findFirst();
	}

}
