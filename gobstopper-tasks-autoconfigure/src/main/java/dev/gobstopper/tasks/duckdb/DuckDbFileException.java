package dev.gobstopper.tasks.duckdb;

import dev.gobstopper.tasks.TaskStorageException;
import org.jspecify.annotations.Nullable;

/**
 * The DuckDB file of the task storage could not be opened.
 */
public final class DuckDbFileException extends TaskStorageException {

	private final Reason reason;

	private final String path;

	private final String detail;

	DuckDbFileException(Reason reason, String path, String detail, @Nullable Throwable cause) {
		super("Could not open the task storage file '" + path + "': " + detail, cause);
		this.reason = reason;
		this.path = path;
		this.detail = detail;
	}

	public Reason getReason() {
		return this.reason;
	}

	public String getPath() {
		return this.path;
	}

	public String getDetail() {
		return this.detail;
	}

	public enum Reason {

		/** Another process holds the file's lock. */
		LOCKED,

		/** The file or its folder cannot be created or written. */
		NOT_WRITABLE,

		/** The file is not a DuckDB database, or is damaged. */
		NOT_A_DATABASE

	}

}
