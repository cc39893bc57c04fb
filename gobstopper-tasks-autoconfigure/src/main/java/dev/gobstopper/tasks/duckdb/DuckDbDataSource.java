package dev.gobstopper.tasks.duckdb;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.duckdb.DuckDBConnection;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.util.unit.DataSize;

/**
 * The task storage's own DuckDB database: one open instance, handing out connections that
 * share it. The database stays open until {@link #close()}, which checkpoints it and
 * releases the file lock once the last connection handed out is closed.
 */
public final class DuckDbDataSource extends AbstractDataSource implements Closeable {

	public static final String IN_MEMORY = ":memory:";

	/** The bytes of the blocks the database uses. */
	static final String USED_BYTES = "SELECT block_size * used_blocks FROM pragma_database_size() "
			+ "WHERE database_name = current_database()";

	private final DuckDBConnection database;

	/**
	 * Open the database, creating the file and its folders if they are missing.
	 * @param dbPath a file path or {@value #IN_MEMORY}
	 * @param memoryLimit the most memory DuckDB may use
	 * @param threads the threads DuckDB may use
	 * @param storageCompatibilityVersion the storage format of a file created here
	 */
	public DuckDbDataSource(String dbPath, DataSize memoryLimit, int threads, String storageCompatibilityVersion) {
		String path = IN_MEMORY.equals(dbPath) ? IN_MEMORY : Path.of(dbPath).toAbsolutePath().toString();
		boolean checkSize = false;
		if (!IN_MEMORY.equals(path)) {
			createIfMissing(Path.of(path), storageCompatibilityVersion);
			// Changes replayed from a write-ahead log may use blocks not yet in the file
			checkSize = !Files.exists(Path.of(path + ".wal"));
		}
		this.database = open(path);
		if (checkSize) {
			checkNotTruncated(path);
		}
		try (Statement statement = this.database.createStatement()) {
			// Settings of the instance, not of the connection, so that other code in this
			// process can still open the file with a plain connection.
			statement.execute("SET GLOBAL memory_limit = '" + memoryLimit.toBytes() + " bytes'");
			statement.execute("SET GLOBAL threads = " + threads);
		}
		catch (SQLException ex) {
			close();
			throw new IllegalStateException("Could not apply DuckDB settings to '" + path + "': " + ex.getMessage(), ex);
		}
	}

	/**
	 * Create a missing file in the given storage format. A connection option would bind
	 * every later connection in this process to the same options, so the file is created
	 * and closed first, then opened plainly; an existing file keeps its format.
	 */
	private static void createIfMissing(Path file, String storageCompatibilityVersion) {
		if (Files.exists(file)) {
			return;
		}
		try {
			Path parent = file.getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
		}
		catch (IOException ex) {
			throw new DuckDbFileException(DuckDbFileException.Reason.NOT_WRITABLE, file.toString(),
					"its folder cannot be created (" + ex + ")", ex);
		}
		Properties options = new Properties();
		options.setProperty("storage_compatibility_version", storageCompatibilityVersion);
		try (Connection created = DriverManager.getConnection("jdbc:duckdb:" + file, options)) {
			// Opening creates the file; closing writes its header
		}
		catch (SQLException ex) {
			if (String.valueOf(ex.getMessage()).contains("storage_compatibility_version")) {
				throw new IllegalArgumentException("DuckDB knows no storage format '" + storageCompatibilityVersion
						+ "' to create '" + file + "' in: " + ex.getMessage(), ex);
			}
			throw failure(file.toString(), ex);
		}
	}

	private static DuckDBConnection open(String path) {
		try {
			return DriverManager.getConnection("jdbc:duckdb:" + path).unwrap(DuckDBConnection.class);
		}
		catch (SQLException ex) {
			throw failure(path, ex);
		}
	}

	/**
	 * Refuse a file shorter than the blocks in use. DuckDB reads blocks only when a query
	 * needs them, so a truncated file would open, take writes, and fail later.
	 */
	private void checkNotTruncated(String path) {
		try (Statement statement = this.database.createStatement();
				ResultSet rs = statement.executeQuery(USED_BYTES)) {
			long used = rs.next() ? rs.getLong(1) : 0;
			long size = Files.size(Path.of(path));
			if (size < used) {
				close();
				throw new DuckDbFileException(DuckDbFileException.Reason.NOT_A_DATABASE, path,
						"it is " + size + " bytes long, but the blocks it uses need " + used, null);
			}
		}
		catch (SQLException | IOException ex) {
			close();
			throw new IllegalStateException("Could not check the size of '" + path + "': " + ex.getMessage(), ex);
		}
	}

	private static DuckDbFileException failure(String path, SQLException ex) {
		DataAccessException translated = DuckDbExceptionTranslator.INSTANCE.translate("Opening " + path, null, ex);
		DuckDbFileException.Reason reason;
		if (translated instanceof CannotAcquireLockException) {
			reason = DuckDbFileException.Reason.LOCKED;
		}
		else if (translated instanceof DataAccessResourceFailureException) {
			reason = DuckDbFileException.Reason.NOT_WRITABLE;
		}
		else {
			reason = DuckDbFileException.Reason.NOT_A_DATABASE;
		}
		return new DuckDbFileException(reason, path, String.valueOf(ex.getMessage()), ex);
	}

	@Override
	public DuckDBConnection getConnection() throws SQLException {
		return this.database.duplicate();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return getConnection();
	}

	@Override
	public void close() {
		try {
			this.database.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not close the task storage database: " + ex.getMessage(), ex);
		}
	}

}
