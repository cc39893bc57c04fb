package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stores the benchmark compares, and the workloads each runs.
 */
enum Store {

	GOBSTOPPER("gobstopper", "DuckDbTaskStorage (this project) on DuckDB, the starter's settings and schema",
			Workload.SAVE_TASK_IF_ABSENT, Workload.QUEUE, Workload.GET_TASKS_WHILE_SAVING, Workload.CLEANUP,
			Workload.CLEANUP_WHILE_SAVING, Workload.CLEANUP_SAVES_P99, Workload.CLEANUP_DELETES_P99) {

		@Override
		BenchStore open(Place place) throws Exception {
			return GobstopperStore.open(Files.createDirectories(place.dir()).resolve("tasks.duckdb"));
		}

		@Override
		boolean promisesOneTaskPerKey() {
			return true;
		}

	},

	DUCKDB_NAIVE("duckdb-naive", "JdbcTemplate, one statement per call, the original's SQL, its 26-column table and "
			+ "the 4 secondary indexes of its first version (category, status, created_at, priority), same DuckDB "
			+ "settings as gobstopper", Workload.SAVE_TASK_IF_ABSENT, Workload.QUEUE, Workload.CLEANUP,
			Workload.CLEANUP_WHILE_SAVING, Workload.CLEANUP_SAVES_P99, Workload.CLEANUP_DELETES_P99) {

		@Override
		BenchStore open(Place place) throws Exception {
			return new NaiveDuckDbStore(Files.createDirectories(place.dir()).resolve("tasks.duckdb"));
		}

	},

	GOBSTOPPER_PG("gobstopper-pg", "JdbcTaskStorage (this project) on PostgreSQL through HikariCP ("
			+ Postgres.POOL_SIZE + " connections), its own schema", Workload.SAVE_TASK_IF_ABSENT, Workload.QUEUE,
			Workload.ROUND_TRIP, Workload.GET_TASKS_UNFILTERED, Workload.GET_TASKS_BY_CATEGORY,
			Workload.GET_TASKS_BY_STATUS, Workload.CLEANUP_WHILE_SAVING, Workload.CLEANUP_SAVES_P99,
			Workload.CLEANUP_DELETES_P99) {

		@Override
		BenchStore open(Place place) throws SQLException {
			return GobstopperPgStore.open(place.postgresUrl(), place.table());
		}

		@Override
		boolean promisesOneTaskPerKey() {
			return true;
		}

		@Override
		boolean usesPostgres() {
			return true;
		}

	},

	PG_NAIVE("pg-naive", "JdbcTemplate on PostgreSQL through HikariCP (" + Postgres.POOL_SIZE + " connections), one "
			+ "statement per call in autocommit, batches rewritten into multi-row inserts, the original's SQL, "
			+ "26-column table and 4 secondary indexes", Workload.SAVE_TASK_IF_ABSENT, Workload.QUEUE,
			Workload.ROUND_TRIP, Workload.GET_TASKS_UNFILTERED, Workload.GET_TASKS_BY_CATEGORY,
			Workload.GET_TASKS_BY_STATUS, Workload.CLEANUP_WHILE_SAVING, Workload.CLEANUP_SAVES_P99,
			Workload.CLEANUP_DELETES_P99) {

		@Override
		BenchStore open(Place place) throws SQLException {
			return new NaivePostgresStore(place.postgresUrl(), place.table());
		}

		@Override
		boolean usesPostgres() {
			return true;
		}

	},

	SQLITE("sqlite", "xerial sqlite-jdbc, WAL, synchronous=FULL, upsert per save, one writer connection behind a "
			+ "lock, pooled readers, indexes on category, status, created_at", Workload.CLEANUP,
			Workload.CLEANUP_WHILE_SAVING, Workload.CLEANUP_SAVES_P99, Workload.CLEANUP_DELETES_P99) {

		@Override
		BenchStore open(Place place) throws Exception {
			return new SqliteStore(Files.createDirectories(place.dir()).resolve("tasks.sqlite"));
		}

	},

	H2("h2", "H2 file database with default settings, MERGE per save, pooled connections, indexes on category, "
			+ "status, created_at", Workload.CLEANUP) {

		@Override
		BenchStore open(Place place) throws Exception {
			return new H2Store(Files.createDirectories(place.dir()).resolve("tasks"));
		}

	};

	private final String id;

	private final String description;

	private final Set<Workload> workloads = EnumSet.noneOf(Workload.class);

	Store(String id, String description, Workload... own) {
		this.id = id;
		this.description = description;
		Arrays.stream(Workload.values()).filter(Workload::everyStore).forEach(this.workloads::add);
		this.workloads.addAll(Arrays.asList(own));
	}

	/**
	 * Open the store on a database at the given place, creating it if missing.
	 */
	abstract BenchStore open(Place place) throws Exception;

	/**
	 * Return whether concurrent idempotent saves with one key store one task, as
	 * {@code TaskStorage} promises; the naive ports look the key up, then insert.
	 */
	boolean promisesOneTaskPerKey() {
		return false;
	}

	/**
	 * Return whether the store keeps its tables in the local PostgreSQL.
	 */
	boolean usesPostgres() {
		return false;
	}

	String id() {
		return this.id;
	}

	String description() {
		return this.description;
	}

	/**
	 * Return the workloads the store runs: those of every store and its own.
	 */
	Set<Workload> workloads() {
		return Collections.unmodifiableSet(this.workloads);
	}

	boolean runs(Workload workload) {
		return this.workloads.contains(workload);
	}

	/**
	 * Return the prefix of the tables a run of the store may create in PostgreSQL.
	 */
	String tablePrefix(long runId) {
		return "bench_" + this.id.replace('-', '_') + "_" + Long.toString(runId, 36).toLowerCase(Locale.ROOT);
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
