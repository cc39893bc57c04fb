import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens a task database with DuckDB 1.x, as Gobstopper's Python users run it, in a process
 * of its own. Run with the DuckDB 1.x driver on the class path:
 * <ul>
 * <li>{@code create <file>} creates the file with the Python original's schema and indexes
 * and saves rows the way its Python code does;</li>
 * <li>{@code create-today <file>} does the same with the schema and indexes of today's
 * Gobstopper, whose lease columns lie between {@code max_retries} and {@code args}, and a
 * row with every column filled;</li>
 * <li>{@code dump <file>} prints the DuckDB version, then every task row, the indexes, the
 * primary key and the number of journal rows, one per line, fields separated by tabs;</li>
 * <li>{@code dump-all <file>} prints the same with all 26 columns of each row, read by
 * name, after a line of the table's columns in their order.</li>
 * </ul>
 */
public class DuckDbOne {

	private static final String CREATE_TABLE = """
			CREATE TABLE IF NOT EXISTS tasks (
			    id VARCHAR PRIMARY KEY,
			    name VARCHAR NOT NULL,
			    category VARCHAR NOT NULL,
			    priority INTEGER NOT NULL,
			    status VARCHAR NOT NULL,
			    created_at TIMESTAMP NOT NULL,
			    started_at TIMESTAMP,
			    completed_at TIMESTAMP,
			    elapsed_seconds DOUBLE,
			    result JSON,
			    error TEXT,
			    retry_count INTEGER DEFAULT 0,
			    max_retries INTEGER DEFAULT 0,
			    args JSON,
			    kwargs JSON,
			    progress DOUBLE DEFAULT 0.0,
			    progress_message VARCHAR DEFAULT ''
			)
			""";

	private static final String CREATE_TODAYS_TABLE = """
			CREATE TABLE IF NOT EXISTS tasks (
			    id VARCHAR PRIMARY KEY,
			    name VARCHAR NOT NULL,
			    category VARCHAR NOT NULL,
			    priority INTEGER NOT NULL,
			    status VARCHAR NOT NULL,
			    created_at TIMESTAMP NOT NULL,
			    started_at TIMESTAMP,
			    completed_at TIMESTAMP,
			    elapsed_seconds DOUBLE,
			    result JSON,
			    error TEXT,
			    retry_count INTEGER DEFAULT 0,
			    max_retries INTEGER DEFAULT 0,
			    attempt INTEGER DEFAULT 0,
			    max_attempts INTEGER DEFAULT 1,
			    idempotency_key VARCHAR,
			    not_before TIMESTAMP,
			    next_attempt_at TIMESTAMP,
			    lease_owner VARCHAR,
			    lease_expires_at TIMESTAMP,
			    claimed_at TIMESTAMP,
			    last_heartbeat_at TIMESTAMP,
			    args JSON,
			    kwargs JSON,
			    progress DOUBLE DEFAULT 0.0,
			    progress_message VARCHAR DEFAULT ''
			)
			""";

	private static final String[] CREATE_TODAYS_INDEXES = {
			"CREATE INDEX IF NOT EXISTS idx_tasks_next_attempt ON tasks(next_attempt_at)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_idempotency_key ON tasks(idempotency_key)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_lease_expires ON tasks(lease_expires_at)" };

	private static final String SAVE_TODAYS_TASK = "INSERT INTO tasks (id, name, category, priority, status, "
			+ "created_at, started_at, completed_at, elapsed_seconds, result, error, retry_count, max_retries, "
			+ "attempt, max_attempts, idempotency_key, not_before, next_attempt_at, lease_owner, lease_expires_at, "
			+ "claimed_at, last_heartbeat_at, args, kwargs, progress, progress_message) VALUES (?, ?, ?, ?, ?, ?, ?, "
			+ "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final Object[] TODAYS_ROW = { "py-today", "process_data", "analytics", 3, "started",
			"2024-05-01T10:15:30.123456", "2024-05-01T10:15:31", "2024-05-01T10:15:33.000001", 2.5,
			"{\"records\": 1000}", "none yet", 1, 3, 2, 4, "import-42", "2024-05-01T10:00:00",
			"2024-05-01T10:15:00", "py-worker", "2024-05-01T10:20:00", "2024-05-01T10:14:00",
			"2024-05-01T10:15:31.500000", "[1, \"a\"]", "{\"k\": \"v\"}", 50.0, "halfway" };

	/** Every column, in the order of the tables the starter creates. */
	private static final String ALL_COLUMNS = "id, name, category, priority, status, created_at::VARCHAR, "
			+ "started_at::VARCHAR, completed_at::VARCHAR, elapsed_seconds, result::VARCHAR, error, retry_count, "
			+ "max_retries, args::VARCHAR, kwargs::VARCHAR, progress, progress_message, attempt, max_attempts, "
			+ "idempotency_key, not_before::VARCHAR, next_attempt_at::VARCHAR, lease_owner, lease_expires_at::VARCHAR, "
			+ "claimed_at::VARCHAR, last_heartbeat_at::VARCHAR";

	private static final String[] CREATE_INDEXES = {
			"CREATE INDEX IF NOT EXISTS idx_tasks_category ON tasks(category)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_created_at ON tasks(created_at)",
			"CREATE INDEX IF NOT EXISTS idx_tasks_priority ON tasks(priority)" };

	private static final String SAVE_TASK = "INSERT INTO tasks (id, name, category, priority, status, created_at, "
			+ "started_at, completed_at, elapsed_seconds, result, error, retry_count, max_retries, args, kwargs, "
			+ "progress, progress_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final Object[][] ROWS = {
			{ "py-pending", "send_email", "email", 3, "pending", "2024-05-01T10:15:30.123456", null, null, 0.0,
					"null", null, 0, 3, "[\"user@example.com\"]", "{\"subject\": \"Welcome\"}", 0.0, "" },
			{ "py-done", "process_data", "analytics", 2, "success", "2024-05-01T10:15:30",
					"2024-05-01T10:15:31.500000", "2024-05-01T10:15:33.000001", 2.5,
					"{\"records_processed\": 1000}", null, 0, 0, "[1, \"a\"]", "{}", 100.0, "done" },
			{ "py-failed", "charge_card", "billing", 4, "failed", "2020-01-01T00:00:00", "2020-01-01T00:00:01",
					"2020-01-01T00:05:00", 299.0, "null", "ValueError: declined", 3, 3, "[]", "{}", 40.0,
					"charging" } };

	public static void main(String[] args) throws SQLException {
		PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[1])) {
			out.println("version\t" + single(connection, "SELECT library_version FROM pragma_version()"));
			switch (args[0]) {
				case "create" -> create(connection);
				case "create-today" -> createToday(connection);
				case "dump-all" -> dump(connection, out, true);
				default -> dump(connection, out, false);
			}
		}
	}

	private static void create(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(CREATE_TABLE);
			for (String index : CREATE_INDEXES) {
				statement.execute(index);
			}
		}
		try (PreparedStatement insert = connection.prepareStatement(SAVE_TASK)) {
			for (Object[] row : ROWS) {
				for (int i = 0; i < row.length; i++) {
					insert.setObject(i + 1, row[i]);
				}
				insert.execute();
			}
		}
	}

	private static void createToday(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(CREATE_TODAYS_TABLE);
			for (String index : CREATE_INDEXES) {
				statement.execute(index);
			}
			for (String index : CREATE_TODAYS_INDEXES) {
				statement.execute(index);
			}
		}
		try (PreparedStatement insert = connection.prepareStatement(SAVE_TODAYS_TASK)) {
			for (int i = 0; i < TODAYS_ROW.length; i++) {
				insert.setObject(i + 1, TODAYS_ROW[i]);
			}
			insert.execute();
		}
	}

	private static void dump(Connection connection, PrintStream out, boolean all) throws SQLException {
		if (all) {
			out.println("columns\t" + single(connection,
					"SELECT string_agg(column_name, ',' ORDER BY column_index) FROM duckdb_columns() "
							+ "WHERE table_name = 'tasks'"));
		}
		String columns = all ? ALL_COLUMNS : "id, name, category, priority, status, "
				+ "created_at::VARCHAR, started_at::VARCHAR, completed_at::VARCHAR, elapsed_seconds, "
				+ "result::VARCHAR, error, retry_count, max_retries, args::VARCHAR, kwargs::VARCHAR, progress, "
				+ "progress_message";
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT " + columns + " FROM tasks ORDER BY id")) {
			while (rs.next()) {
				StringBuilder line = new StringBuilder("row");
				for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
					String value = rs.getString(i);
					line.append('\t').append((value != null) ? escape(value) : "NULL");
				}
				out.println(line);
			}
		}
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT index_name FROM duckdb_indexes() WHERE table_name = 'tasks' ORDER BY 1")) {
			while (rs.next()) {
				out.println("index\t" + rs.getString(1));
			}
		}
		out.println("primary key\t" + single(connection, "SELECT constraint_column_names::VARCHAR FROM duckdb_constraints() "
				+ "WHERE table_name = 'tasks' AND constraint_type = 'PRIMARY KEY'"));
		if (!single(connection, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tasks_journal'").equals("0")) {
			out.println("journal\t" + single(connection, "SELECT count(*) FROM tasks_journal"));
		}
	}

	private static String single(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
	}

}
