package dev.gobstopper.tasks.benchmarks;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import dev.gobstopper.tasks.jdbc.JdbcTaskStorage;

/**
 * The product on PostgreSQL: {@link JdbcTaskStorage} through a HikariCP pool, as an
 * application's Spring Boot DataSource would give it.
 */
final class GobstopperPgStore extends TaskStorageBench {

	private final HikariDataSource pool;

	private final JdbcTaskStorage storage;

	private final String table;

	private final String engine;

	private GobstopperPgStore(HikariDataSource pool, JdbcTaskStorage storage, String table, String engine) {
		super(storage);
		this.pool = pool;
		this.storage = storage;
		this.table = table;
		this.engine = engine;
	}

	static GobstopperPgStore open(String url, String table) throws SQLException {
		HikariDataSource pool = Postgres.pool(url, false);
		try {
			JdbcTaskStorage storage = JdbcTaskStorage.builder(pool).tableName(table).initializeSchema(true).build();
			return new GobstopperPgStore(pool, storage, table, Postgres.engine(pool));
		}
		catch (SQLException | RuntimeException ex) {
			pool.close();
			throw ex;
		}
	}

	@Override
	public void roundTrip() {
		Postgres.selectOne(this.pool);
	}

	@Override
	public void settle() {
		Postgres.vacuumAnalyze(this.pool, this.table);
	}

	@Override
	public String engine() {
		return this.engine;
	}

	@Override
	public void close() {
		try {
			this.storage.close();
		}
		finally {
			this.pool.close();
		}
	}

}
