package dev.gobstopper.tasks.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.support.TaskRow;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How the storage finds, creates and extends its table, and which tables and databases it
 * refuses.
 */
class JdbcTaskStorageSchemaTests {

	private static final List<String> COLUMNS = List.of("id character varying", "name character varying",
			"category character varying", "priority integer", "status character varying",
			"created_at timestamp with time zone", "started_at timestamp with time zone",
			"completed_at timestamp with time zone", "elapsed_seconds double precision", "result jsonb", "error text",
			"retry_count integer", "max_retries integer", "args jsonb", "kwargs jsonb", "progress double precision",
			"progress_message character varying", "attempt integer", "max_attempts integer",
			"idempotency_key character varying", "not_before timestamp with time zone",
			"next_attempt_at timestamp with time zone", "lease_owner character varying",
			"lease_expires_at timestamp with time zone", "claimed_at timestamp with time zone",
			"last_heartbeat_at timestamp with time zone");

	private static final List<String> INDEX_SUFFIXES = List.of("_cat", "_catstat", "_claim", "_created", "_done",
			"_idem", "_lease", "_pkey", "_stat");

	/** The first Gobstopper table, as this storage would have created it then. */
	private static final String SEED_TABLE = """
			CREATE TABLE "%s" (
			    id varchar PRIMARY KEY,
			    name varchar NOT NULL,
			    category varchar NOT NULL,
			    priority integer NOT NULL,
			    status varchar NOT NULL,
			    created_at timestamp with time zone NOT NULL,
			    started_at timestamp with time zone,
			    completed_at timestamp with time zone,
			    elapsed_seconds double precision,
			    result jsonb,
			    error text,
			    retry_count integer DEFAULT 0,
			    max_retries integer DEFAULT 0,
			    args jsonb,
			    kwargs jsonb,
			    progress double precision DEFAULT 0.0,
			    progress_message varchar DEFAULT ''
			)""";

	@RegisterExtension
	final TestDatabase db = new TestDatabase();

	@Test
	void startingCreatesTheTableWithEveryColumnInOrderAndItsIndexes() {
		try (JdbcTaskStorage storage = this.db.open()) {
			assertThat(this.db.columns(this.db.table())).containsExactlyElementsOf(COLUMNS);
			assertThat(this.db.indexes(this.db.table()))
				.containsExactlyElementsOf(INDEX_SUFFIXES.stream().map((suffix) -> this.db.table() + suffix).toList());
			TaskInfo task = TestTasks.fullTask("created");
			storage.saveTask(task);
			assertThat(storage.getTask("created")).contains(task);
		}
	}

	@Test
	void theTableHasTheDefaultsOfTheOriginalForRowsOtherProgramsInsert() {
		this.db.open().close();
		this.db.jdbc()
			.update("INSERT INTO \"" + this.db.table() + "\" (id, name, category, priority, status, created_at) "
					+ "VALUES ('bare', 'n', 'c', 2, 'pending', now())");
		try (JdbcTaskStorage storage = this.db.open()) {
			TaskInfo task = storage.getTask("bare").orElseThrow();
			assertThat(task.retryCount()).isZero();
			assertThat(task.maxRetries()).isZero();
			assertThat(task.progress()).isZero();
			assertThat(task.progressMessage()).isEmpty();
			assertThat(task.attempt()).isZero();
			assertThat(task.maxAttempts()).isOne();
		}
	}

	@Test
	void startingAgainChangesNothingAndKeepsTheTasks() {
		TaskInfo task = TestTasks.fullTask("kept");
		try (JdbcTaskStorage storage = this.db.open()) {
			storage.saveTask(task);
		}
		try (JdbcTaskStorage storage = this.db.open()) {
			assertThat(storage.getTask("kept")).contains(task);
		}
		try (JdbcTaskStorage storage = this.db.builder().initializeSchema(false).build()) {
			assertThat(storage.getTask("kept")).contains(task);
		}
		assertThat(this.db.columns(this.db.table())).containsExactlyElementsOf(COLUMNS);
	}

	@Test
	void instancesStartingTogetherCreateTheTableOnce() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(6);
		try {
			List<Future<?>> starts = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				starts.add(threads.submit(() -> this.db.open().close()));
			}
			for (Future<?> start : starts) {
				start.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.db.columns(this.db.table())).containsExactlyElementsOf(COLUMNS);
		assertThat(this.db.indexes(this.db.table())).hasSize(INDEX_SUFFIXES.size());
	}

	@Test
	void withoutInitializationAMissingTableFailsNamingTheStatementsToRun() {
		assertThatExceptionOfType(TaskStorageException.class)
			.isThrownBy(() -> this.db.builder().initializeSchema(false).build())
			.withMessageContaining("Table '" + this.db.table() + "' is missing in schema 'public'")
			.withMessageContaining("CREATE TABLE IF NOT EXISTS \"" + this.db.table() + "\" (")
			.withMessageContaining("last_heartbeat_at timestamp with time zone")
			.withMessageContaining("CREATE INDEX IF NOT EXISTS \"" + this.db.table() + "_claim\"");
		assertThat(this.db.columns(this.db.table())).isEmpty();
	}

	@Test
	void theStatementsNamedByTheFailureCreateATableTheStorageAccepts() {
		String message = "";
		try {
			this.db.builder().initializeSchema(false).build();
		}
		catch (TaskStorageException ex) {
			message = ex.getMessage();
		}
		String statements = message.substring(message.indexOf("Run:\n") + "Run:\n".length());
		for (String statement : statements.split(";\n?")) {
			if (!statement.isBlank()) {
				this.db.jdbc().execute(statement);
			}
		}
		try (JdbcTaskStorage storage = this.db.builder().initializeSchema(false).build()) {
			storage.saveTask(TestTasks.fullTask("after-ddl"));
			assertThat(storage.getTask("after-ddl")).isPresent();
		}
		assertThat(this.db.indexes(this.db.table())).hasSize(INDEX_SUFFIXES.size());
	}

	@Test
	void aTableOfTheFirstShapeGetsTheNewColumnsAtItsEndAndKeepsItsRows() {
		this.db.jdbc().execute(SEED_TABLE.formatted(this.db.table()));
		this.db.jdbc()
			.update("INSERT INTO \"" + this.db.table() + "\" (id, name, category, priority, status, created_at, "
					+ "retry_count, max_retries, args, kwargs, progress, progress_message) VALUES ('old', 'report', "
					+ "'reports', 3, 'success', '2024-01-02 03:04:05.678901+00', 1, 2, '[1]', '{\"a\": 1}', 100, 'done')");
		try (JdbcTaskStorage storage = this.db.open()) {
			assertThat(this.db.columns(this.db.table())).containsExactlyElementsOf(COLUMNS);
			TaskInfo old = storage.getTask("old").orElseThrow();
			assertThat(old.retryCount()).isOne();
			assertThat(old.attempt()).isZero();
			assertThat(old.maxAttempts()).isOne();
			assertThat(old.idempotencyKey()).isNull();
			TaskInfo task = TestTasks.fullTask("new").toBuilder().idempotencyKey("key").attempt(2).maxAttempts(3).build();
			storage.saveTask(task);
			assertThat(storage.getTask("new")).contains(task);
		}
		assertThat(this.db.indexes(this.db.table())).hasSize(INDEX_SUFFIXES.size());
	}

	@Test
	void withoutInitializationATableOfTheFirstShapeFailsNamingTheColumnsToAdd() {
		this.db.jdbc().execute(SEED_TABLE.formatted(this.db.table()));
		assertThatExceptionOfType(TaskStorageException.class)
			.isThrownBy(() -> this.db.builder().initializeSchema(false).build())
			.withMessageContaining("lacks the columns " + TaskRow.LEASE_COLUMNS)
			.withMessageContaining("ALTER TABLE \"" + this.db.table() + "\" ADD COLUMN attempt integer DEFAULT 0;")
			.withMessageContaining("ADD COLUMN last_heartbeat_at timestamp with time zone;");
		assertThat(this.db.columns(this.db.table())).hasSize(TaskRow.SEED_COLUMNS.size());
	}

	@Test
	void aTableOfAnotherShapeIsRefusedNamingItsColumnsBeforeAnythingChanges() {
		this.db.jdbc()
			.execute("CREATE TABLE \"" + this.db.table() + "\" (id varchar PRIMARY KEY, payload text, created_at date)");
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(this.db::open)
			.withMessageContaining("Table '" + this.db.table() + "' in schema 'public' is not a gobstopper-tasks table")
			.withMessageContaining("[id character varying, payload text, created_at date]");
		assertThat(this.db.columns(this.db.table())).containsExactly("id character varying", "payload text",
				"created_at date");
		assertThat(this.db.indexes(this.db.table())).containsExactly(this.db.table() + "_pkey");
	}

	@Test
	void aTableWhoseColumnsHaveOtherTypesIsRefused() {
		this.db.jdbc().execute(SEED_TABLE.formatted(this.db.table()).replace("created_at timestamp with time zone",
				"created_at timestamp without time zone"));
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(this.db::open)
			.withMessageContaining("created_at timestamp without time zone");
		assertThat(this.db.columns(this.db.table())).hasSize(TaskRow.SEED_COLUMNS.size());
	}

	@Test
	void aTableWithoutAPrimaryKeyOnIdIsRefused() {
		this.db.jdbc().execute(SEED_TABLE.formatted(this.db.table()).replace(" PRIMARY KEY", ""));
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(this.db::open)
			.withMessageContaining("has no primary key on id");
		assertThat(this.db.columns(this.db.table())).hasSize(TaskRow.SEED_COLUMNS.size());
	}

	@Test
	void anH2DatabaseIsRefusedNamingWhatWasFoundAndWhatIsSupported() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
		assertThatExceptionOfType(UnsupportedDatabaseException.class)
			.isThrownBy(() -> JdbcTaskStorage.builder(h2).build())
			.satisfies((ex) -> {
				assertThat(ex.getProductName()).isEqualTo("H2");
				assertThat(ex.getProductVersion()).startsWith("2.");
				assertThat(ex.getSupportedProducts()).containsExactly("PostgreSQL 13 or later");
				assertThat(ex).hasMessage("The task storage does not support H2 " + ex.getProductVersion()
						+ "; supported: PostgreSQL 13 or later");
			});
	}

	@Test
	void theTableNameMustBeAPlainIdentifier() {
		JdbcTaskStorage.Builder builder = JdbcTaskStorage.builder(this.db.dataSource());
		assertThatIllegalArgumentException().isThrownBy(() -> builder.tableName("tasks; DROP TABLE x"))
			.withMessageContaining("not a plain SQL identifier");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.tableName("t".repeat(56)));
	}

	@Test
	void aClosedStorageRefusesCallsAndClosingAgainDoesNothing() {
		JdbcTaskStorage storage = this.db.open();
		storage.close();
		storage.close();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> storage.getTask("any"))
			.withMessage("TaskStorage is closed");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> storage.saveTask(TestTasks.fullTask("late")))
			.withMessage("TaskStorage is closed");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(storage::health)
			.withMessage("TaskStorage is closed");
	}

}
