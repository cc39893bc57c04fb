package dev.gobstopper.tasks.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.gobstopper.tasks.TestTasks.fullTask;
import static dev.gobstopper.tasks.TestTasks.leasedTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Files of the starter and files of DuckDB 1.x, as Gobstopper's Python users run it, are
 * readable by both. DuckDB 1.5.6 runs in a child process ({@code storage/DuckDbOne.java}
 * on the driver the build copies to {@code target/duckdb-1x}); a file is open in one
 * process at a time, so each application context is closed before the child starts.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DuckDbFormatCompatibilityTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class))
		.withPropertyValues("gobstopper.tasks.cleanup.enabled=false");

	@TempDir
	Path dir;

	@Test
	void aFileCreatedByTheStarterOpensInDuckDbOne() {
		Path file = this.dir.resolve("starter.duckdb");
		TaskInfo unicode = task("unicode").name("r\u00e9sum\u00e9")
			.category("\u4e2d\u6587")
			.createdAt(Instant.parse("1969-07-20T20:17:40.000001Z"))
			.result(Map.of("text", "\u00e9t\u00e9 \uD83D\uDE00"))
			.build();
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			storage.saveTask(fullTask("full"));
			storage.saveTask(unicode);
			// Saved just before the context closes: it reaches the file at close
			storage.saveTask(task("last").createdAt(Instant.parse("2025-03-02T00:00:00Z")).build());
		});
		DuckDbOneRun run = duckDbOne("dump", file);
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.lines()).containsExactly("version\tv1.5.6",
				"row\tfull\tgenerate_report\treports\t4\tfailed\t2025-03-01 12:00:00.123456\t"
						+ "2025-03-01 12:00:01.123456\t2025-03-01 12:00:03.623456\t2.5\t[\"partial\",7]\t"
						+ "Timeout after 2.5 s\t3\t5\t[\"q3\",2025]\t{\"format\":\"pdf\"}\t62.5\trendering charts",
				"row\tlast\tsend_email\temail\t2\tpending\t2025-03-02 00:00:00\tNULL\tNULL\t0.0\tnull\tNULL\t0\t0\t[]\t"
						+ "{}\t0.0\t",
				"row\tunicode\tr\u00e9sum\u00e9\t\u4e2d\u6587\t2\tpending\t1969-07-20 20:17:40.000001\tNULL\tNULL\t0.0\t"
						+ "{\"text\":\"\u00e9t\u00e9 \uD83D\uDE00\"}\tNULL\t0\t0\t[]\t{}\t0.0\t",
				"index\tidx_tasks_idempotency_key", "primary key\t[id]", "journal\t0");
	}

	@Test
	void aFileCreatedByDuckDbOneIsReadAndWrittenByTheStarterAndStillOpensInDuckDbOne() {
		Path file = this.dir.resolve("python.duckdb");
		DuckDbOneRun created = duckDbOne("create", file);
		assertThat(created.exitCode()).as(created.output()).isZero();
		TaskInfo added = task("java-new").createdAt(Instant.parse("2025-03-01T12:00:00Z"))
			.result(List.of(1, "a"))
			.build();
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			TaskInfo pending = storage.getTask("py-pending").orElseThrow();
			assertThat(pending).isEqualTo(task("py-pending").priority(TaskPriority.HIGH)
				.createdAt(Instant.parse("2024-05-01T10:15:30.123456Z"))
				.maxRetries(3)
				.args(List.of("user@example.com"))
				.kwargs(Map.of("subject", "Welcome"))
				.build());
			assertThat(storage.getTask("py-done").orElseThrow().result()).isEqualTo(Map.of("records_processed", 1000));
			assertThat(storage.getTasks(null, null)).extracting(TaskInfo::id)
				.containsExactly("py-pending", "py-done", "py-failed");
			storage.saveTask(pending.toBuilder()
				.status(TaskStatus.STARTED)
				.category("urgent")
				.startedAt(Instant.parse("2024-05-01T10:16:00Z"))
				.progress(50)
				.progressMessage("halfway")
				.build());
			storage.saveTask(added);
			assertThat(storage.cleanupOldTasks(30, 0, 0)).isEqualTo(2);
		});
		DuckDbOneRun run = duckDbOne("dump", file);
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.lines()).containsExactly("version\tv1.5.6",
				"row\tjava-new\tsend_email\temail\t2\tpending\t2025-03-01 12:00:00\tNULL\tNULL\t0.0\t[1,\"a\"]\tNULL\t0\t"
						+ "0\t[]\t{}\t0.0\t",
				"row\tpy-pending\tsend_email\turgent\t3\tstarted\t2024-05-01 10:15:30.123456\t2024-05-01 10:16:00\tNULL\t"
						+ "0.0\tnull\tNULL\t0\t3\t[\"user@example.com\"]\t{\"subject\":\"Welcome\"}\t50.0\thalfway",
				"index\tidx_tasks_category", "index\tidx_tasks_created_at", "index\tidx_tasks_priority",
				"index\tidx_tasks_status", "primary key\t[id]", "journal\t0");
	}

	@Test
	void aFileCreatedByDuckDbOneStillOpensThereAfterCleanupRebuiltTheTable() {
		Path file = this.dir.resolve("rebuilt.duckdb");
		DuckDbOneRun created = duckDbOne("create", file);
		assertThat(created.exitCode()).as(created.output()).isZero();
		Instant longAgo = Instant.parse("2025-01-01T00:00:00Z");
		List<TaskInfo> old = new ArrayList<>();
		for (int i = 0; i < 12_000; i++) {
			old.add(task("old-" + i).status(TaskStatus.SUCCESS).createdAt(longAgo).completedAt(longAgo).build());
		}
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			storage.saveTasks(old);
			storage.saveTask(task("kept").createdAt(Instant.parse("2025-03-01T12:00:00Z")).build());
			// The two finished tasks of the original go too: a share large enough to rebuild
			assertThat(storage.cleanupOldTasks(30, 0, 0)).isEqualTo(12_002);
			storage.saveTask(task("kept").createdAt(Instant.parse("2025-03-01T12:00:00Z")).progress(10).build());
		});
		DuckDbOneRun run = duckDbOne("dump", file);
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.lines()).hasSize(9)
			.startsWith("version\tv1.5.6")
			.endsWith("index\tidx_tasks_category", "index\tidx_tasks_created_at", "index\tidx_tasks_priority",
					"index\tidx_tasks_status", "primary key\t[id]", "journal\t0");
		assertThat(run.lines().get(1)).startsWith("row\tkept\t").contains("\t10.0\t");
		assertThat(run.lines().get(2)).startsWith("row\tpy-pending\t");
	}

	/** The row {@code leasedTask("java-full")} as DuckDB 1.x prints all its columns. */
	private static final String JAVA_FULL_ROW = "row\tjava-full\tgenerate_report\treports\t4\tstarted\t"
			+ "2025-03-01 12:00:00.123456\t2025-03-01 12:00:01.123456\t2025-03-01 12:00:03.623456\t2.5\t"
			+ "[\"partial\",7]\tTimeout after 2.5 s\t3\t5\t[\"q3\",2025]\t{\"format\":\"pdf\"}\t62.5\t"
			+ "rendering charts\t2\t4\tkey-java-full\t2025-03-01 12:00:10.123456\t2025-03-01 12:00:20.123456\t"
			+ "worker-7\t2025-03-01 12:05:30.123456\t2025-03-01 12:00:00.123486\t2025-03-01 12:00:30.123456";

	@Test
	void aFileOfTodaysGobstopperIsReadAndWrittenByTheStarterAndStillOpensInDuckDbOne() {
		Path file = this.dir.resolve("today.duckdb");
		DuckDbOneRun created = duckDbOne("create-today", file);
		assertThat(created.exitCode()).as(created.output()).isZero();
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			TaskInfo python = storage.getTask("py-today").orElseThrow();
			assertThat(python).isEqualTo(task("py-today").name("process_data")
				.category("analytics")
				.priority(TaskPriority.HIGH)
				.status(TaskStatus.STARTED)
				.createdAt(Instant.parse("2024-05-01T10:15:30.123456Z"))
				.startedAt(Instant.parse("2024-05-01T10:15:31Z"))
				.completedAt(Instant.parse("2024-05-01T10:15:33.000001Z"))
				.elapsedSeconds(2.5)
				.result(Map.of("records", 1000))
				.error("none yet")
				.retryCount(1)
				.maxRetries(3)
				.attempt(2)
				.maxAttempts(4)
				.idempotencyKey("import-42")
				.notBefore(Instant.parse("2024-05-01T10:00:00Z"))
				.nextAttemptAt(Instant.parse("2024-05-01T10:15:00Z"))
				.leaseOwner("py-worker")
				.leaseExpiresAt(Instant.parse("2024-05-01T10:20:00Z"))
				.claimedAt(Instant.parse("2024-05-01T10:14:00Z"))
				.lastHeartbeatAt(Instant.parse("2024-05-01T10:15:31.5Z"))
				.args(List.of(1, "a"))
				.kwargs(Map.of("k", "v"))
				.progress(50)
				.progressMessage("halfway")
				.build());
			assertThat(storage.getTaskByIdempotencyKey("import-42")).contains(python);
			storage.saveTask(python.toBuilder().progress(75).progressMessage("three quarters").build());
			storage.saveTask(leasedTask("java-full"));
		});
		DuckDbOneRun run = duckDbOne("dump-all", file);
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.lines()).containsExactly("version\tv1.5.6",
				"columns\tid,name,category,priority,status,created_at,started_at,completed_at,elapsed_seconds,result,"
						+ "error,retry_count,max_retries,attempt,max_attempts,idempotency_key,not_before,next_attempt_at,"
						+ "lease_owner,lease_expires_at,claimed_at,last_heartbeat_at,args,kwargs,progress,"
						+ "progress_message",
				JAVA_FULL_ROW,
				"row\tpy-today\tprocess_data\tanalytics\t3\tstarted\t2024-05-01 10:15:30.123456\t2024-05-01 10:15:31\t"
						+ "2024-05-01 10:15:33.000001\t2.5\t{\"records\":1000}\tnone yet\t1\t3\t[1,\"a\"]\t{\"k\":\"v\"}\t"
						+ "75.0\tthree quarters\t2\t4\timport-42\t2024-05-01 10:00:00\t2024-05-01 10:15:00\tpy-worker\t"
						+ "2024-05-01 10:20:00\t2024-05-01 10:14:00\t2024-05-01 10:15:31.5",
				"index\tidx_tasks_category", "index\tidx_tasks_created_at", "index\tidx_tasks_idempotency_key",
				"index\tidx_tasks_lease_expires", "index\tidx_tasks_next_attempt", "index\tidx_tasks_priority",
				"index\tidx_tasks_status", "primary key\t[id]", "journal\t0");
	}

	@Test
	void aFileOfTheFirstGobstopperMigratedByTheStarterHoldsEveryColumnForDuckDbOne() {
		Path file = this.dir.resolve("migrated.duckdb");
		DuckDbOneRun created = duckDbOne("create", file);
		assertThat(created.exitCode()).as(created.output()).isZero();
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			TaskInfo pending = storage.getTask("py-pending").orElseThrow();
			assertThat(pending.attempt()).isZero();
			assertThat(pending.maxAttempts()).isEqualTo(1);
			storage.saveTask(leasedTask("java-full"));
			storage.saveTask(pending.toBuilder()
				.attempt(1)
				.maxAttempts(3)
				.idempotencyKey("welcome-1")
				.notBefore(Instant.parse("2024-05-01T10:15:00Z"))
				.leaseOwner("java-worker")
				.leaseExpiresAt(Instant.parse("2024-05-01T10:16:30Z"))
				.claimedAt(Instant.parse("2024-05-01T10:16:00Z"))
				.lastHeartbeatAt(Instant.parse("2024-05-01T10:16:00.000001Z"))
				.status(TaskStatus.STARTED)
				.build());
			storage.deleteTask("py-done");
			storage.deleteTask("py-failed");
		});
		DuckDbOneRun run = duckDbOne("dump-all", file);
		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.lines()).containsExactly("version\tv1.5.6",
				"columns\tid,name,category,priority,status,created_at,started_at,completed_at,elapsed_seconds,result,"
						+ "error,retry_count,max_retries,args,kwargs,progress,progress_message,attempt,max_attempts,"
						+ "idempotency_key,not_before,next_attempt_at,lease_owner,lease_expires_at,claimed_at,"
						+ "last_heartbeat_at",
				JAVA_FULL_ROW,
				"row\tpy-pending\tsend_email\temail\t3\tstarted\t2024-05-01 10:15:30.123456\tNULL\tNULL\t0.0\tnull\t"
						+ "NULL\t0\t3\t[\"user@example.com\"]\t{\"subject\":\"Welcome\"}\t0.0\t\t1\t3\twelcome-1\t"
						+ "2024-05-01 10:15:00\tNULL\tjava-worker\t2024-05-01 10:16:30\t2024-05-01 10:16:00\t"
						+ "2024-05-01 10:16:00.000001",
				"index\tidx_tasks_category", "index\tidx_tasks_created_at", "index\tidx_tasks_priority",
				"index\tidx_tasks_status", "primary key\t[id]", "journal\t0");
	}

	@Test
	void duckDbOneCannotOpenAFileCreatedWithDuckDbTwoDefaults() {
		TaskDatabase db = new TaskDatabase(this.dir.resolve("default-format.duckdb"));
		try (DuckDbTaskStorage storage = db.openStorage()) {
			storage.saveTask(task("t").build());
		}
		DuckDbOneRun run = duckDbOne("dump", db.file());
		assertThat(run.exitCode()).isNotZero();
		assertThat(run.output()).contains("version number");
	}

	private DuckDbOneRun duckDbOne(String command, Path file) {
		String jar = System.getProperty("duckdb1x.jar");
		assertThat(jar).as("the DuckDB 1.x driver that the build passes as the system property duckdb1x.jar")
			.isNotNull();
		assertThat(Path.of(jar)).isRegularFile();
		URL source = getClass().getResource("/storage/DuckDbOne.java");
		assertThat(source).isNotNull();
		try {
			Path tmp = Files.createDirectories(this.dir.resolve("duckdb-1x-tmp"));
			Path java = Path.of(System.getProperty("java.home"), "bin", "java");
			Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-Djava.io.tmpdir=" + tmp, "-cp", jar,
					Path.of(source.toURI()).toString(), command, file.toString())
				.redirectErrorStream(true)
				.start();
			CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
			if (!process.waitFor(3, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				fail("DuckDB 1.x did not finish '" + command + "' within 3 minutes");
			}
			return new DuckDbOneRun(process.exitValue(), output.get(1, TimeUnit.MINUTES));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not run DuckDB 1.x: " + ex, ex);
		}
	}

	private static String read(InputStream in) {
		try (in) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What a run of DuckDB 1.x printed, and how it ended.
	 */
	private record DuckDbOneRun(int exitCode, String output) {

		List<String> lines() {
			return this.output.lines().toList();
		}

	}

}
