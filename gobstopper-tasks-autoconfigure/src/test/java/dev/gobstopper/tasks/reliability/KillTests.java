package dev.gobstopper.tasks.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An application saving tasks is killed with SIGKILL at random moments, several times on
 * the same file, and while a merge or a cleanup rebuild is in progress: every save it
 * acknowledged survives, nothing it did not save appears, and the file stays sound.
 */
@Timeout(240)
@EnabledOnOs(OS.LINUX)
class KillTests {

	private static final int ROUNDS = 4;

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	/** Saves acknowledged while a merge or a rebuild hangs, before the kill. */
	private static final int ACKS_DURING_MAINTENANCE = 300;

	@TempDir
	Path dir;

	@Test
	void everyAcknowledgedSaveSurvivesSigkillAndTheFileStaysSound() throws Exception {
		Path file = this.dir.resolve("killed.duckdb");
		Random random = new Random(20250301);
		Map<String, TaskInfo> earlierRounds = new HashMap<>();
		for (int round = 0; round < ROUNDS; round++) {
			int killAfter = 200 + random.nextInt(1801);
			Map<String, Integer> acknowledged;
			try (ChildJvm writer = ChildJvm.start(this.dir, KilledWriter.class, file.toString(), "r" + round,
					Long.toString(random.nextLong()))) {
				acknowledged = runAndKill(writer, null, killAfter);
			}
			assertThat(acknowledged).isNotEmpty();
			Map<String, TaskInfo> stored = verify(file, acknowledged, earlierRounds);
			earlierRounds.putAll(stored);
		}
	}

	/**
	 * The process is killed while a merge hangs inside its transaction, with saves
	 * acknowledged before and after the merge began: the merge is lost, and the journal
	 * rows it was merging are merged at the next start.
	 */
	@Test
	void everyAcknowledgedSaveSurvivesSigkillDuringAMerge() throws Exception {
		Path file = this.dir.resolve("killed.duckdb");
		Map<String, Integer> acknowledged;
		try (ChildJvm writer = ChildJvm.start(this.dir, KilledDuringMaintenance.class, file.toString(), "m", "7",
				"MERGE")) {
			acknowledged = runAndKill(writer, "MERGE", ACKS_DURING_MAINTENANCE);
		}
		verify(file, acknowledged, Map.of());
	}

	/**
	 * The process is killed while a cleanup rebuilds the table: once its copy has
	 * committed beside the table, or in its last step, with the copy in the table's place
	 * but not committed. The table is as it was before the cleanup, with every
	 * acknowledged save, and a cleanup after the restart deletes exactly the expired tasks.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "REBUILD_COPIED", "REBUILD_REPLACING" })
	void everyAcknowledgedSaveSurvivesSigkillDuringACleanupRebuild(String step) throws Exception {
		Path file = this.dir.resolve("killed.duckdb");
		Map<String, Integer> acknowledged;
		try (ChildJvm writer = ChildJvm.start(this.dir, KilledDuringMaintenance.class, file.toString(), "c", "11",
				step)) {
			acknowledged = runAndKill(writer, step, ACKS_DURING_MAINTENANCE);
		}
		Map<String, TaskInfo> stored = verify(file, acknowledged, Map.of());
		assertThat(stored.keySet().stream().filter(KillTests::isFiller)).hasSize(KilledDuringMaintenance.FILLERS);
		DuckDBDataSource dataSource = new DuckDBDataSource("jdbc:duckdb:" + file);
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(dataSource).build()) {
			assertThat(storage.cleanupOldTasks(Duration.between(KilledDuringMaintenance.CUTOFF, Instant.now())))
				.isEqualTo(KilledDuringMaintenance.FILLERS);
			stored.forEach((id, task) -> assertThat(storage.getTask(id)).isEqualTo(
					isFiller(id) ? Optional.empty() : Optional.of(task)));
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				assertThat(count(statement, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tasks_rebuild'"))
					.isZero();
			}
		}
	}

	private static boolean isFiller(String id) {
		return id.startsWith("filler-");
	}

	/**
	 * Read the writer's output until it has acknowledged the given number of saves (after
	 * it said that the given step is in progress, if one is given), kill it, and return
	 * the latest acknowledged version of each id.
	 */
	private Map<String, Integer> runAndKill(ChildJvm writer, @Nullable String inside, int killAfter)
			throws Exception {
		writer.awaitLine("ready"::equals, PATIENCE);
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		boolean counting = inside == null;
		int acks = 0;
		while (acks < killAfter) {
			String line = writer.nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (line == null) {
				fail("The writer stopped or stalled after " + acks + " acknowledgements. Its output:\n"
						+ writer.output());
			}
			assertThat(line).as("the writer's output").doesNotStartWith("cleanup returned");
			if (line.equals("inside " + inside)) {
				counting = true;
			}
			if (counting && line.startsWith("ack ")) {
				acks++;
			}
		}
		writer.kill(PATIENCE);
			Map<String, Integer> acknowledged = new HashMap<>();
			for (String line : writer.lines()) {
				assertThat(line).as("the writer's output").doesNotStartWith("error ");
				String[] words = line.split(" ");
				// A line cut short by the kill lacks its last word and promises nothing
			if (words.length == 4 && words[0].equals("ack") && words[3].equals("end")) {
				acknowledged.merge(words[1], Integer.parseInt(words[2]), Math::max);
			}
		}
		return acknowledged;
	}

	private Map<String, TaskInfo> verify(Path file, Map<String, Integer> acknowledged,
			Map<String, TaskInfo> earlierRounds) throws SQLException {
		DuckDBDataSource dataSource = new DuckDBDataSource("jdbc:duckdb:" + file);
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(dataSource).build()) {
			acknowledged.forEach((id, version) -> {
				Optional<TaskInfo> task = storage.getTask(id);
				assertThat(task).as("acknowledged task %s (version %s)", id, version).isPresent();
				// The writer may have committed one more version of the task and been killed
				// before it printed it
				assertThat(task.get().retryCount()).as("version of %s", id).isBetween(version, version + 1);
				assertThat(task.get()).isEqualTo(KilledWriter.task(id, task.get().retryCount()));
			});
			earlierRounds.forEach((id, task) -> assertThat(storage.getTask(id)).contains(task));
			Map<String, TaskInfo> stored = new HashMap<>();
			for (int offset = 0;; offset += 500) {
				List<TaskInfo> page = storage.getTasks(null, null, 500, offset);
				if (page.isEmpty()) {
					break;
				}
				for (TaskInfo task : page) {
					assertThat(task).isEqualTo(isFiller(task.id()) ? KilledDuringMaintenance.filler(task.id())
							: KilledWriter.task(task.id(), task.retryCount()));
					assertThat(stored.put(task.id(), task)).as("a second row of %s", task.id()).isNull();
				}
			}
			assertThat(stored).containsAllEntriesOf(earlierRounds);
			assertThat(stored.keySet()).containsAll(acknowledged.keySet());
			// Each writer had at most one save in flight when it was killed
			assertThat(stored.keySet()
				.stream()
				.filter((id) -> !isFiller(id) && !acknowledged.containsKey(id) && !earlierRounds.containsKey(id)))
				.as("tasks saved but never acknowledged")
				.hasSizeLessThanOrEqualTo(KilledWriter.THREADS);
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				assertThat(count(statement, "SELECT count(*) FROM tasks")).isEqualTo(stored.size());
				assertThat(count(statement, "SELECT count(DISTINCT id) FROM tasks")).isEqualTo(stored.size());
				assertThat(count(statement, "SELECT count(*) FROM tasks_journal")).isZero();
				statement.execute("CHECKPOINT");
			}
			return stored;
		}
	}

	private static long count(Statement statement, String query) throws SQLException {
		try (ResultSet rs = statement.executeQuery(query)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
