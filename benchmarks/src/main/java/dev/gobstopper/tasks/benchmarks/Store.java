package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The stores the benchmark compares.
 */
enum Store {

	GOBSTOPPER("gobstopper", "DuckDbTaskStorage (this project) on DuckDB, the starter's settings and schema") {

		@Override
		BenchStore open(Path dir) throws SQLException {
			return new GobstopperStore(dir.resolve("tasks.duckdb"));
		}

	},

	DUCKDB_NAIVE("duckdb-naive", "JdbcTemplate, one statement per call, the original's SQL and its 4 secondary "
			+ "indexes (category, status, created_at, priority), same DuckDB settings as gobstopper") {

		@Override
		BenchStore open(Path dir) throws SQLException {
			return new NaiveDuckDbStore(dir.resolve("tasks.duckdb"));
		}

	},

	SQLITE("sqlite", "xerial sqlite-jdbc, WAL, synchronous=FULL, upsert per save, one writer connection behind a "
			+ "lock, pooled readers, indexes on category, status, created_at") {

		@Override
		BenchStore open(Path dir) throws SQLException {
			return new SqliteStore(dir.resolve("tasks.sqlite"));
		}

	},

	H2("h2", "H2 file database with default settings, MERGE per save, pooled connections, indexes on category, "
			+ "status, created_at") {

		@Override
		BenchStore open(Path dir) {
			return new H2Store(dir.resolve("tasks"));
		}

	};

	private final String id;

	private final String description;

	Store(String id, String description) {
		this.id = id;
		this.description = description;
	}

	/**
	 * Open the store on a database in the given folder, creating it if missing.
	 */
	abstract BenchStore open(Path dir) throws SQLException;

	String id() {
		return this.id;
	}

	String description() {
		return this.description;
	}

	static Store ofId(String id) {
		return Arrays.stream(values())
			.filter((store) -> store.id.equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Unknown store '" + id + "', expected one of " + Arrays.stream(values()).map(Store::id).toList()));
	}

	static List<Store> all() {
		return List.of(values());
	}

}
