package dev.gobstopper.tasks.benchmarks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What one store's JVM reported.
 */
final class StoreResults {

	private final Store store;

	private String engine = "?";

	private final Map<Workload, Double> figures = new EnumMap<>(Workload.class);

	private final Map<Workload, String> failures = new EnumMap<>(Workload.class);

	private final List<String> notes = new ArrayList<>();

	private final List<String> problems = new ArrayList<>();

	private boolean done;

	StoreResults(Store store) {
		this.store = store;
	}

	void add(ResultLine line) {
		switch (line.kind()) {
			case ENGINE -> this.engine = line.text();
			case RESULT -> this.figures.put(line.workload(), line.value());
			case FAILED -> this.failures.put(line.workload(), line.text());
			case NOTE -> this.notes.add(line.text());
			case PROBLEM -> this.problems.add(line.text());
			case DONE -> this.done = true;
		}
	}

	/**
	 * Record that the store's JVM ended without running every workload.
	 */
	void aborted(String reason) {
		this.problems.add(reason);
		for (Workload workload : this.store.workloads()) {
			if (!this.figures.containsKey(workload)) {
				this.failures.putIfAbsent(workload, reason);
			}
		}
	}

	Store store() {
		return this.store;
	}

	String engine() {
		return this.engine;
	}

	OptionalDouble figure(Workload workload) {
		Double figure = this.figures.get(workload);
		return (figure != null) ? OptionalDouble.of(figure) : OptionalDouble.empty();
	}

	Map<Workload, Double> figures() {
		return this.figures;
	}

	Map<Workload, String> failures() {
		return this.failures;
	}

	List<String> notes() {
		return this.notes;
	}

	List<String> problems() {
		return this.problems;
	}

	boolean done() {
		return this.done;
	}

}
