package dev.gobstopper.tasks.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The PostgreSQL of the tests, registered as an extension: a pool of connections to it,
 * and a table name of the test's own, whose tables are dropped after the test.
 * <p>
 * The URL comes from {@code GOBSTOPPER_TEST_POSTGRES_URL}. A test fails, never skips,
 * when PostgreSQL cannot be reached.
 */
final class TestDatabase implements BeforeEachCallback, AfterEachCallback {

	static final String URL = (System.getenv("GOBSTOPPER_TEST_POSTGRES_URL") != null)
			? System.getenv("GOBSTOPPER_TEST_POSTGRES_URL") : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	private static final String START_COMMAND = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

	private final int poolSize;

	private final List<String> tables = new ArrayList<>();

	private final List<HikariDataSource> pools = new ArrayList<>();

	private HikariDataSource dataSource;

	private String table;

	TestDatabase() {
		this(8);
	}

	TestDatabase(int poolSize) {
		this.poolSize = poolSize;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.table = newTableName();
		this.dataSource = pool(this.poolSize, null);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		try {
			for (String name : this.tables) {
				this.jdbc().execute("DROP TABLE IF EXISTS \"" + name + "\"");
			}
		}
		finally {
			this.pools.forEach(HikariDataSource::close);
		}
	}

	/**
	 * Return the name of the test's table, to be dropped after the test.
	 */
	String table() {
		return this.table;
	}

	/**
	 * Return the name of another table of the test's own, to be dropped after the test.
	 */
	String newTableName() {
		String name = "test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
		this.tables.add(name);
		return name;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	JdbcTemplate jdbc() {
		return new JdbcTemplate(this.dataSource);
	}

	JdbcTaskStorage.Builder builder() {
		return JdbcTaskStorage.builder(this.dataSource).tableName(this.table);
	}

	JdbcTaskStorage open() {
		return builder().build();
	}

	/**
	 * Return a pool of its own, closed after the test.
	 * @param size the most connections
	 * @param initSql a statement each new connection runs, or {@code null}
	 */
	HikariDataSource pool(int size, String initSql) {
		HikariDataSource pool = connect(size, initSql);
		this.pools.add(pool);
		return pool;
	}

	/**
	 * Return a pool of connections to the test database, having checked that it can be
	 * reached.
	 * @throws AssertionError naming the command that starts PostgreSQL if it cannot
	 */
	static HikariDataSource connect(int size, String initSql) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(URL);
		pool.setMaximumPoolSize(size);
		pool.setMinimumIdle(0);
		pool.setConnectionTimeout(10_000);
		pool.setInitializationFailTimeout(-1);
		if (initSql != null) {
			pool.setConnectionInitSql(initSql);
		}
		try (Connection connection = pool.getConnection()) {
			return pool;
		}
		catch (SQLException ex) {
			pool.close();
			throw new AssertionError("PostgreSQL cannot be reached at " + URL + " (" + ex.getMessage()
					+ "). Start it with: " + START_COMMAND, ex);
		}
	}

	long count(String sql, Object... arguments) {
		Long count = jdbc().queryForObject(sql, Long.class, arguments);
		return (count != null) ? count : 0;
	}

	List<String> strings(String sql, Object... arguments) {
		return jdbc().queryForList(sql, String.class, arguments);
	}

	/**
	 * Return the columns of a table as "name type", in their order.
	 */
	List<String> columns(String table) {
		return jdbc().query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
				+ "current_schema() AND table_name = ? ORDER BY ordinal_position",
				(rs, rowNum) -> rs.getString(1) + " " + rs.getString(2), table);
	}

	List<String> indexes(String table) {
		return strings("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? "
				+ "ORDER BY indexname", table);
	}

}
