package dev.gobstopper.tasks.benchmarks;

import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One machine-readable line that a store's JVM prints for the parent process: its kind,
 * the workload it is about (if any) and its text or figure.
 *
 * @param kind what the line says
 * @param workload the workload, for results and failures
 * @param text the figure of a result, or the text of anything else
 */
record ResultLine(Kind kind, @Nullable Workload workload, String text) {

	private static final String PREFIX = "@@";

	static ResultLine result(Workload workload, double value) {
		return new ResultLine(Kind.RESULT, workload, Double.toString(value));
	}

	static ResultLine failed(Workload workload, String message) {
		return new ResultLine(Kind.FAILED, workload, message);
	}

	static ResultLine of(Kind kind, String text) {
		return new ResultLine(kind, null, text);
	}

	/**
	 * Return the line as printed: tabs separate the fields, so they are removed from the
	 * text, as are line breaks.
	 */
	String format() {
		String clean = this.text.replaceAll("[\\t\\r\\n]+", " ");
		String workloadKey = (this.workload != null) ? this.workload.key() : "-";
		return PREFIX + this.kind.name().toLowerCase(Locale.ROOT) + "\t" + workloadKey + "\t" + clean;
	}

	/**
	 * Read a line printed by {@link #format()}; other lines are progress for people.
	 */
	static Optional<ResultLine> parse(String line) {
		if (!line.startsWith(PREFIX)) {
			return Optional.empty();
		}
		String[] fields = line.substring(PREFIX.length()).split("\t", 3);
		if (fields.length < 3) {
			return Optional.empty();
		}
		Kind kind = Kind.valueOf(fields[0].toUpperCase(Locale.ROOT));
		Workload workload = "-".equals(fields[1]) ? null : Workload.ofKey(fields[1]);
		return Optional.of(new ResultLine(kind, workload, fields[2]));
	}

	double value() {
		return Double.parseDouble(this.text);
	}

	enum Kind {

		/** The database engine and its version. */
		ENGINE,

		/** A workload's figure. */
		RESULT,

		/** A workload that produced no figure, and why. */
		FAILED,

		/** Something worth knowing about how a figure came about. */
		NOTE,

		/** Wrong behaviour seen while measuring: missing tasks, wrong pages or counts. */
		PROBLEM,

		/** The store's JVM ran every workload. */
		DONE

	}

}
