package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Translates DuckDB's errors, which carry neither a SQL state nor an error code but a
 * message that starts with their kind, into Spring's exceptions, so that retries and
 * failure reports can go by type:
 * <ul>
 * <li>a write conflict between transactions ({@code Conflict on update!}, {@code Conflict
 * on tuple deletion!}): a {@link ConcurrencyFailureException}, to retry;</li>
 * <li>the file locked by another process: a {@link CannotAcquireLockException};</li>
 * <li>a failure of the file system, such as a file that cannot be opened or written, or
 * a full disk: a {@link DataAccessResourceFailureException};</li>
 * <li>any other I/O error, such as a file that is not a DuckDB database: a
 * {@link NonTransientDataAccessResourceException}.</li>
 * </ul>
 * Anything else is left to Spring's translation by exception class.
 */
final class DuckDbExceptionTranslator implements SQLExceptionTranslator {

	/** What the operating system says when a file cannot be opened or written. */
	private static final List<String> FILE_SYSTEM_FAILURES = List.of("Cannot open file", "Could not write file",
			"Permission denied", "Read-only file system", "No such file or directory", "No space left on device",
			"File too large", "Disk quota exceeded");

	static final DuckDbExceptionTranslator INSTANCE = new DuckDbExceptionTranslator();

	private final SQLExceptionTranslator fallback = new SQLExceptionSubclassTranslator();

	private DuckDbExceptionTranslator() {
	}

	@Override
	public @Nullable DataAccessException translate(String task, @Nullable String sql, SQLException ex) {
		String message = String.valueOf(ex.getMessage());
		String described = task + ": " + message;
		if (message.contains("Conflict on")) {
			return new ConcurrencyFailureException(described, ex);
		}
		if (message.contains("Could not set lock on file")) {
			return new CannotAcquireLockException(described, ex);
		}
		if (FILE_SYSTEM_FAILURES.stream().anyMatch(message::contains)) {
			return new DataAccessResourceFailureException(described, ex);
		}
		if (message.startsWith("IO Error")) {
			return new NonTransientDataAccessResourceException(described, ex);
		}
		return this.fallback.translate(task, sql, ex);
	}

	/**
	 * Return a {@link JdbcTemplate} that runs on the given connection alone, leaves it open,
	 * and translates errors with this translator.
	 */
	static JdbcTemplate jdbcTemplate(Connection connection) {
		JdbcTemplate jdbcTemplate = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
		jdbcTemplate.setExceptionTranslator(INSTANCE);
		return jdbcTemplate;
	}

}
