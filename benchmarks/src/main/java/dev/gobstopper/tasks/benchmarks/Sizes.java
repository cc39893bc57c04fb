package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much work each workload does and how long it may take.
 *
 * @param tasks the tasks loaded for the read, statistics and cleanup workloads
 * @param smallBatch the smaller {@code saveTasks} batch
 * @param largeBatch the larger {@code saveTasks} batch
 * @param warmUp how long the threads of a timed workload run before measuring
 * @param measure how long the threads of a timed workload are measured
 * @param batchBudget after how long no further batch of a size is started
 * @param maxBatches the most batches of each size
 * @param readBudget after how long {@code getTask} stops
 * @param maxReads the most {@code getTask} calls
 * @param pageBudget after how long no further page of a kind is read
 * @param maxPages the most pages of each kind
 * @param queueTasks the pending tasks the queue workers complete
 * @param queueBudget after how long the queue workers stop, done or not
 * @param lightTasks the tasks with large results that the light read pages over
 * @param statisticsRuns the most runs of each statistics query
 * @param statisticsBudget after how long no further run of a statistics query is started
 * @param heap the maximum heap of each store's JVM
 * @param storeTimeout how long one store's JVM may run before it is stopped
 */
record Sizes(int tasks, int smallBatch, int largeBatch, Duration warmUp, Duration measure, Duration batchBudget,
		int maxBatches, Duration readBudget, int maxReads, Duration pageBudget, int maxPages, int queueTasks,
		Duration queueBudget, int lightTasks, int statisticsRuns, Duration statisticsBudget, String heap,
		Duration storeTimeout) {

	/** The threads that call {@code saveTask} at once, one workload each. */
	static final List<Integer> SAVE_THREADS = List.of(1, 8, 32);

	/** The tasks are loaded in batches of this many. */
	static final int LOAD_BATCH = 10_000;

	/** The page size of the page workloads. */
	static final int PAGE_SIZE = 100;

	/** The threads that call {@code saveTaskIfAbsent} at once. */
	static final int IDEMPOTENT_THREADS = 16;

	/** The share of {@code saveTaskIfAbsent} calls that repeat a key already used. */
	static final double DUPLICATE_SHARE = 0.1;

	/** The threads that claim and complete tasks. */
	static final int QUEUE_WORKERS = 8;

	/** The categories the queued tasks are spread over. */
	static final int QUEUE_CATEGORIES = 4;

	/** The threads that read recent tasks in the poll workload... */
	static final int POLL_READERS = 8;

	/** ...the threads that save meanwhile... */
	static final int POLL_WRITERS = 2;

	/** ...and how many of the newest tasks the readers read. */
	static final int POLL_RECENT = 1_000;

	/** The threads that save while cleanup runs. */
	static final int CLEANUP_SAVERS = 8;

	/** The threads that delete tasks of their own while cleanup runs. */
	static final int CLEANUP_DELETERS = 2;

	/** The full sizes, for a run of about 25 minutes on 2 cores. */
	static Sizes full() {
		return new Sizes(1_000_000, 1_000, 10_000, Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(10), 10, Duration.ofSeconds(5), 50_000, Duration.ofSeconds(10), 50, 50_000,
				Duration.ofSeconds(45), 1_000, 5, Duration.ofSeconds(5), "2g", Duration.ofMinutes(30));
	}

	/** Tiny sizes that check that every workload runs. */
	static Sizes smoke() {
		return new Sizes(2_000, 10, 50, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(300), 3,
				Duration.ofMillis(300), 200, Duration.ofMillis(300), 5, 20, Duration.ofSeconds(30), PAGE_SIZE, 2,
				Duration.ofMillis(300), "512m", Duration.ofMinutes(3));
	}

	boolean isFull() {
		return equals(full());
	}

	/**
	 * Return the sizes as arguments that {@link #parse} reads back.
	 */
	List<String> toArguments() {
		List<String> arguments = new ArrayList<>();
		values().forEach((key, value) -> arguments.add(key + "=" + value));
		return arguments;
	}

	/**
	 * Read sizes from {@code key=value} arguments, starting from the given sizes.
	 * @throws IllegalArgumentException if an argument is not a known size
	 */
	static Sizes parse(Sizes base, List<String> arguments) {
		Map<String, String> values = base.values();
		for (String argument : arguments) {
			int equals = argument.indexOf('=');
			String key = (equals > 0) ? argument.substring(0, equals) : argument;
			if (equals < 0 || !values.containsKey(key)) {
				throw new IllegalArgumentException(
						"Unknown size '" + argument + "', expected one of " + values.keySet());
			}
			values.put(key, argument.substring(equals + 1));
		}
		return new Sizes(number(values, "tasks"), number(values, "smallBatch"), number(values, "largeBatch"),
				duration(values, "warmUp"), duration(values, "measure"), duration(values, "batchBudget"),
				number(values, "maxBatches"), duration(values, "readBudget"), number(values, "maxReads"),
				duration(values, "pageBudget"), number(values, "maxPages"), number(values, "queueTasks"),
				duration(values, "queueBudget"), number(values, "lightTasks"), number(values, "statisticsRuns"),
				duration(values, "statisticsBudget"), values.get("heap"), duration(values, "storeTimeout"));
	}

	private static int number(Map<String, String> values, String key) {
		return Integer.parseInt(values.get(key));
	}

	private static Duration duration(Map<String, String> values, String key) {
		return Duration.parse(values.get(key));
	}

	private Map<String, String> values() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("tasks", String.valueOf(this.tasks));
		values.put("smallBatch", String.valueOf(this.smallBatch));
		values.put("largeBatch", String.valueOf(this.largeBatch));
		values.put("warmUp", this.warmUp.toString());
		values.put("measure", this.measure.toString());
		values.put("batchBudget", this.batchBudget.toString());
		values.put("maxBatches", String.valueOf(this.maxBatches));
		values.put("readBudget", this.readBudget.toString());
		values.put("maxReads", String.valueOf(this.maxReads));
		values.put("pageBudget", this.pageBudget.toString());
		values.put("maxPages", String.valueOf(this.maxPages));
		values.put("queueTasks", String.valueOf(this.queueTasks));
		values.put("queueBudget", this.queueBudget.toString());
		values.put("lightTasks", String.valueOf(this.lightTasks));
		values.put("statisticsRuns", String.valueOf(this.statisticsRuns));
		values.put("statisticsBudget", this.statisticsBudget.toString());
		values.put("heap", this.heap);
		values.put("storeTimeout", this.storeTimeout.toString());
		return values;
	}

}
