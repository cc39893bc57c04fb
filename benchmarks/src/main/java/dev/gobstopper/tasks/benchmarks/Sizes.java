package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much work each workload does and how long it may take.
 *
 * @param tasks the tasks loaded for the read and cleanup workloads
 * @param smallBatch the smaller {@code saveTasks} batch
 * @param largeBatch the larger {@code saveTasks} batch
 * @param warmUp how long the {@code saveTask} threads run before measuring
 * @param measure how long the {@code saveTask} threads are measured
 * @param batchBudget after how long no further batch of a size is started
 * @param maxBatches the most batches of each size
 * @param readBudget after how long {@code getTask} stops
 * @param maxReads the most {@code getTask} calls
 * @param pageBudget after how long no further page is read
 * @param maxPages the most pages read
 * @param heap the maximum heap of each store's JVM
 * @param storeTimeout how long one store's JVM may run before it is stopped
 */
record Sizes(int tasks, int smallBatch, int largeBatch, Duration warmUp, Duration measure, Duration batchBudget,
		int maxBatches, Duration readBudget, int maxReads, Duration pageBudget, int maxPages, String heap,
		Duration storeTimeout) {

	/** The threads that call {@code saveTask} at once, one workload each. */
	static final List<Integer> SAVE_THREADS = List.of(1, 8, 32);

	/** The tasks are loaded in batches of this many. */
	static final int LOAD_BATCH = 10_000;

	/** The page size of the {@code getTasks} workload. */
	static final int PAGE_SIZE = 100;

	/** The sizes of issue 3's benchmark. */
	static Sizes full() {
		return new Sizes(1_000_000, 1_000, 10_000, Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(10), 10, Duration.ofSeconds(5), 50_000, Duration.ofSeconds(20), 50, "2g",
				Duration.ofMinutes(60));
	}

	/** Tiny sizes that check that every workload runs. */
	static Sizes smoke() {
		return new Sizes(2_000, 10, 100, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(300), 3,
				Duration.ofMillis(300), 200, Duration.ofMillis(300), 5, "512m", Duration.ofMinutes(3));
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
		return new Sizes(Integer.parseInt(values.get("tasks")), Integer.parseInt(values.get("smallBatch")),
				Integer.parseInt(values.get("largeBatch")), Duration.parse(values.get("warmUp")),
				Duration.parse(values.get("measure")), Duration.parse(values.get("batchBudget")),
				Integer.parseInt(values.get("maxBatches")), Duration.parse(values.get("readBudget")),
				Integer.parseInt(values.get("maxReads")), Duration.parse(values.get("pageBudget")),
				Integer.parseInt(values.get("maxPages")), values.get("heap"),
				Duration.parse(values.get("storeTimeout")));
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
		values.put("heap", this.heap);
		values.put("storeTimeout", this.storeTimeout.toString());
		return values;
	}

}
