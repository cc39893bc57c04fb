package dev.gobstopper.tasks.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the task storage.
 */
@ConfigurationProperties("gobstopper.tasks")
public class TaskStorageProperties {

	/**
	 * Whether to auto-configure the task storage. When false, no storage is created and no
	 * file is opened.
	 */
	private boolean enabled = true;

	/**
	 * Where tasks are stored: "duckdb" keeps them in an embedded DuckDB file of this
	 * application's own; "jdbc" keeps them in the application's database (PostgreSQL),
	 * shared by every instance of the application.
	 */
	private StoreType storeType = StoreType.DUCKDB;

	/**
	 * Path of the DuckDB database file, or ":memory:" for an in-memory database. Missing
	 * parent folders are created. Only for the "duckdb" store type.
	 */
	private String dbPath = "gobstopper_tasks.duckdb";

	/**
	 * Name of the task table: a plain SQL identifier. On DuckDB, saves are journaled in the
	 * table of that name with a "_journal" suffix.
	 */
	private String tableName = "tasks";

	/**
	 * When to create the tables: "always" creates missing tables, columns and indexes at
	 * startup, "never" expects them to exist.
	 */
	private InitializeSchema initializeSchema = InitializeSchema.ALWAYS;

	/**
	 * How long closing the storage waits for its threads to commit and merge what is
	 * pending; a thread still stuck in a statement then is left to end on its own, and the
	 * saves it did not merge stay in the journal for the next start. On the "duckdb" store
	 * it also bounds how long a call waits for a storage thread stuck on one piece of work,
	 * and how long a save waits for merges that fell far behind, before it fails. On the
	 * "jdbc" store it bounds how long a save waits for the save of another thread that
	 * writes it.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	private final Cleanup cleanup = new Cleanup();

	private final Leases leases = new Leases();

	private final Duckdb duckdb = new Duckdb();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public StoreType getStoreType() {
		return this.storeType;
	}

	public void setStoreType(StoreType storeType) {
		this.storeType = storeType;
	}

	public String getDbPath() {
		return this.dbPath;
	}

	public void setDbPath(String dbPath) {
		this.dbPath = dbPath;
	}

	public String getTableName() {
		return this.tableName;
	}

	public void setTableName(String tableName) {
		this.tableName = tableName;
	}

	public InitializeSchema getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(InitializeSchema initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Cleanup getCleanup() {
		return this.cleanup;
	}

	public Leases getLeases() {
		return this.leases;
	}

	public Duckdb getDuckdb() {
		return this.duckdb;
	}

	/**
	 * Where the task storage keeps its tasks.
	 */
	public enum StoreType {

		/** An embedded DuckDB file of the application's own. */
		DUCKDB,

		/** The application's database, through JDBC, shared by all its instances. */
		JDBC

	}

	/**
	 * When the task storage creates its tables.
	 */
	public enum InitializeSchema {

		/** Create missing tables at startup. */
		ALWAYS,

		/** Never create tables; they must exist. */
		NEVER

	}

	public static class Cleanup {

		static final String DEFAULT_CRON = "0 0 3 * * *";

		/**
		 * Whether to delete old finished tasks on a schedule.
		 */
		private boolean enabled = true;

		/**
		 * Cron expression of the cleanup schedule, in the server's time zone; "-" disables
		 * it.
		 */
		private String cron = DEFAULT_CRON;

		/**
		 * How long finished tasks are kept after they completed.
		 */
		private Duration retention = Duration.ofDays(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

	}

	public static class Leases {

		static final String DEFAULT_RECLAIM_INTERVAL = "30s";

		/**
		 * Whether to return tasks whose lease expired to be claimed again, on a schedule.
		 */
		private boolean reclaimEnabled = true;

		/**
		 * Pause between the end of one round that returns tasks whose lease expired to be
		 * claimed again and the start of the next.
		 */
		private Duration reclaimInterval = Duration.ofSeconds(30);

		/**
		 * The most tasks returned in one round of the reclaim.
		 */
		private int reclaimBatch = 1000;

		public boolean isReclaimEnabled() {
			return this.reclaimEnabled;
		}

		public void setReclaimEnabled(boolean reclaimEnabled) {
			this.reclaimEnabled = reclaimEnabled;
		}

		public Duration getReclaimInterval() {
			return this.reclaimInterval;
		}

		public void setReclaimInterval(Duration reclaimInterval) {
			this.reclaimInterval = reclaimInterval;
		}

		public int getReclaimBatch() {
			return this.reclaimBatch;
		}

		public void setReclaimBatch(int reclaimBatch) {
			this.reclaimBatch = reclaimBatch;
		}

	}

	public static class Duckdb {

		/**
		 * Most memory DuckDB may use for the task database, instead of DuckDB's default of
		 * 80% of the machine's RAM.
		 */
		private DataSize memoryLimit = DataSize.ofMegabytes(256);

		/**
		 * Threads DuckDB may use for one query, instead of DuckDB's default of every core.
		 */
		private int threads = 1;

		/**
		 * DuckDB storage format of files the storage creates. The default "v1.0.0" keeps
		 * new files readable by DuckDB 1.x, as Gobstopper's Python users run it. Existing
		 * files keep their format.
		 */
		private String storageCompatibilityVersion = "v1.0.0";

		/**
		 * Most memory the storage may take to keep tasks saved or read lately, so that
		 * reading them again needs no query. Zero keeps none. Tasks saved but not yet merged
		 * into the task table are kept besides, up to a bound of their own.
		 */
		private DataSize cacheSize = DataSize.ofMegabytes(64);

		public DataSize getMemoryLimit() {
			return this.memoryLimit;
		}

		public void setMemoryLimit(DataSize memoryLimit) {
			this.memoryLimit = memoryLimit;
		}

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

		public String getStorageCompatibilityVersion() {
			return this.storageCompatibilityVersion;
		}

		public void setStorageCompatibilityVersion(String storageCompatibilityVersion) {
			this.storageCompatibilityVersion = storageCompatibilityVersion;
		}

		public DataSize getCacheSize() {
			return this.cacheSize;
		}

		public void setCacheSize(DataSize cacheSize) {
			this.cacheSize = cacheSize;
		}

	}

}
