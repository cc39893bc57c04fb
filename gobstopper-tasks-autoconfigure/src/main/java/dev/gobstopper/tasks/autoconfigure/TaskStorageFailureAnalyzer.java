package dev.gobstopper.tasks.autoconfigure;

import java.net.ConnectException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.duckdb.DuckDbFileException;
import dev.gobstopper.tasks.jdbc.UnsupportedDatabaseException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Explains why the auto-configured task storage could not start: its file is locked by
 * another process, cannot be created, is not a DuckDB database, holds tables of another
 * shape, lacks tables it may not create, its database cannot be reached, or its data
 * source is missing or is not one it can use.
 * <p>
 * Only failures to create the storage or its data source are analyzed: a
 * {@link TaskStorageException} that application code meets later, during startup or not,
 * is left to other analyzers.
 */
class TaskStorageFailureAnalyzer implements FailureAnalyzer {

	private static final Set<String> STORAGE_BEANS = Set.of("taskStorage", "taskStorageDataSource");

	private static final Pattern LOCK_HOLDER = Pattern.compile("held in (.*) \\(PID (\\d+)\\)");

	/**
	 * SQL states of a connection that failed (08), of a database that does not exist (3D000)
	 * and of a user or password refused (28).
	 */
	private static final Pattern CONNECTION_SQL_STATES = Pattern.compile("08...|3D000|28...");

	private final Environment environment;

	TaskStorageFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		BeanCreationException creation = storageCreation(failure);
		if (creation == null) {
			return null;
		}
		for (Throwable cause = creation; cause != null; cause = cause.getCause()) {
			if (cause instanceof DuckDbFileException file) {
				return analyze(file);
			}
			if (cause instanceof NoTaskStorageDataSourceException) {
				return new FailureAnalysis(cause.getMessage() + ".",
						"Add spring-boot-starter-jdbc and your database's JDBC driver (for PostgreSQL, "
								+ "org.postgresql:postgresql) to the application and set spring.datasource.url, or "
								+ "declare a DataSource bean qualified with @TaskStorageDataSource. To keep tasks in an "
								+ "embedded DuckDB file instead, set gobstopper.tasks.store-type=duckdb.",
						cause);
			}
			if (cause instanceof UnsupportedDatabaseException unsupported) {
				return new FailureAnalysis("With gobstopper.tasks.store-type=jdbc, the task storage keeps its tasks in "
						+ String.join(" or ", unsupported.getSupportedProducts()) + ", but its data source connects to "
						+ unsupported.getProductName() + " " + unsupported.getProductVersion() + ".",
						"Point the data source the task storage uses (the @TaskStorageDataSource one if the application "
								+ "declares one, otherwise its primary DataSource) at a supported database, or set "
								+ "gobstopper.tasks.store-type=duckdb to keep tasks in an embedded DuckDB file.",
						unsupported);
			}
			if (cause instanceof TaskStorageException storage) {
				if (isConnectionFailure(storage)) {
					return new FailureAnalysis(sentence(storage.getMessage()), connectionAction(), storage);
				}
				return new FailureAnalysis("The task storage could not start: " + storage.getMessage(), tableAction(),
						storage);
			}
			if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
				String action = "taskStorageDataSource".equals(creation.getBeanName())
						? "Check the settings under gobstopper.tasks.duckdb and the file at gobstopper.tasks.db-path."
						: dataSourceAction();
				return new FailureAnalysis("The task storage could not start: " + cause.getMessage(), action, cause);
			}
		}
		return null;
	}

	private static @Nullable BeanCreationException storageCreation(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof BeanCreationException creation && creation.getBeanName() != null
					&& STORAGE_BEANS.contains(creation.getBeanName())) {
				return creation;
			}
		}
		return null;
	}

	private boolean isDuckDb() {
		return "duckdb".equalsIgnoreCase(this.environment.getProperty("gobstopper.tasks.store-type", "duckdb"));
	}

	private String tableAction() {
		String elsewhere = isDuckDb()
				? "set gobstopper.tasks.db-path to another file, or gobstopper.tasks.table-name to another table"
				: "set gobstopper.tasks.table-name to another table";
		return "If the table belongs to something else, " + elsewhere + ". If tables or columns are missing and "
				+ "gobstopper.tasks.initialize-schema is 'never', run the statements above, or set it to 'always'.";
	}

	/**
	 * Return whether the storage could not connect to its database at all: the connection
	 * was refused or timed out, or the database, the user or the password is wrong.
	 */
	private static boolean isConnectionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& CONNECTION_SQL_STATES.matcher(sql.getSQLState()).matches()) {
				return true;
			}
		}
		return false;
	}

	private static String sentence(@Nullable String message) {
		String text = String.valueOf(message);
		return text.endsWith(".") ? text : text + ".";
	}

	private static String connectionAction() {
		return "Check that the database is running and that the application can connect to it with the data source "
				+ "the task storage uses: the @TaskStorageDataSource one if the application declares one, otherwise "
				+ "its primary DataSource (spring.datasource.url, username and password).";
	}

	private String dataSourceAction() {
		return isDuckDb()
				? "With gobstopper.tasks.store-type=duckdb (the default), a @TaskStorageDataSource data source must "
						+ "connect to DuckDB; to keep tasks in the application's own database, set "
						+ "gobstopper.tasks.store-type=jdbc."
				: "Check the data source the task storage uses: the @TaskStorageDataSource one if the application "
						+ "declares one, otherwise its primary DataSource.";
	}

	private static String detail(DuckDbFileException cause) {
		return (cause.getCause() != null) ? String.valueOf(cause.getCause().getMessage()) : cause.getDetail();
	}

	private static FailureAnalysis analyze(DuckDbFileException cause) {
		String path = cause.getPath();
		return switch (cause.getReason()) {
			case LOCKED -> {
				Matcher holder = LOCK_HOLDER.matcher(detail(cause));
				String process = holder.find() ? "process " + holder.group(2) + " (" + holder.group(1) + ")"
						: "another process";
				yield new FailureAnalysis(
						"The task storage file '" + path + "' is locked by " + process
								+ ". DuckDB lets one process at a time open a database file for writing.",
						"Stop " + process + ", or set gobstopper.tasks.db-path to a file of this application's own. "
								+ "To share tasks between several instances, set gobstopper.tasks.store-type=jdbc.",
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
