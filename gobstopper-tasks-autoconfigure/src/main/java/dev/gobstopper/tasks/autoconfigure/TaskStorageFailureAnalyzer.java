package dev.gobstopper.tasks.autoconfigure;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.duckdb.DuckDbFileException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why the task storage could not start: its file is locked by another process,
 * cannot be created, is not a DuckDB database, or holds tables of another shape.
 */
class TaskStorageFailureAnalyzer extends AbstractFailureAnalyzer<TaskStorageException> {

	private static final Pattern LOCK_HOLDER = Pattern.compile("held in (.*) \\(PID (\\d+)\\)");

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TaskStorageException cause) {
		if (cause instanceof DuckDbFileException file) {
			return analyze(file);
		}
		return new FailureAnalysis("The task storage could not start: " + cause.getMessage(),
				"Set gobstopper.tasks.db-path to another file, or gobstopper.tasks.table-name to another table.",
				cause);
	}

	private static String detail(DuckDbFileException cause) {
		return (cause.getCause() != null) ? String.valueOf(cause.getCause().getMessage()) : cause.getDetail();
	}

	private FailureAnalysis analyze(DuckDbFileException cause) {
		String path = cause.getPath();
		return switch (cause.getReason()) {
			case LOCKED -> {
				Matcher holder = LOCK_HOLDER.matcher(detail(cause));
				String process = holder.find() ? "process " + holder.group(2) + " (" + holder.group(1) + ")"
						: "another process";
				yield new FailureAnalysis(
						"The task storage file '" + path + "' is locked by " + process
								+ ". DuckDB lets one process at a time open a database file for writing.",
						"Stop " + process + ", or set gobstopper.tasks.db-path to a file of this application's own.",
						cause);
			}
			case NOT_WRITABLE -> new FailureAnalysis(
					"The task storage file '" + path + "' cannot be created or opened: " + detail(cause),
					"Set gobstopper.tasks.db-path to a location this application can write, or make '"
							+ Path.of(path).getParent() + "' writable.",
					cause);
			case NOT_A_DATABASE -> new FailureAnalysis(
					"'" + path + "' is not a DuckDB database, or is damaged: " + detail(cause)
							+ ". The file was left as it is.",
					"Set gobstopper.tasks.db-path to a new file, or restore this one from a backup.", cause);
		};
	}

}
