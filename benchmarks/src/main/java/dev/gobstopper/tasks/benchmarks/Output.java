package dev.gobstopper.tasks.benchmarks;

import java.io.PrintStream;

/**
 * Prints what a store's JVM measures as {@link ResultLine}s for the parent process.
 */
final class Output {

	private final PrintStream out;

	Output(PrintStream out) {
		this.out = out;
	}

	/**
	 * Run a measurement and print its figure, or its failure.
	 */
	void measure(Workload workload, Measurement measurement) {
		try {
			result(workload, measurement.run());
		}
		catch (Exception ex) {
			failed(workload, ex.toString());
		}
	}

	void result(Workload workload, double value) {
		emit(ResultLine.result(workload, value));
	}

	void failed(Workload workload, String reason) {
		emit(ResultLine.failed(workload, reason));
	}

	void note(String text) {
		emit(ResultLine.of(ResultLine.Kind.NOTE, text));
	}

	/**
	 * Print wrong behaviour seen while measuring.
	 */
	void problem(String text) {
		emit(ResultLine.of(ResultLine.Kind.PROBLEM, text));
	}

	void emit(ResultLine line) {
		synchronized (this.out) {
			this.out.println(line.format());
			this.out.flush();
		}
	}

	/**
	 * Something measured.
	 */
	@FunctionalInterface
	interface Measurement {

		double run() throws Exception;

	}

}
