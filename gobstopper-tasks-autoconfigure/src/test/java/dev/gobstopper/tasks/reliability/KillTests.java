package dev.gobstopper.tasks.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An application saving tasks is killed with SIGKILL at random moments, several times on
 * the same file: every save it acknowledged survives, and the file stays sound.
 */
@Timeout(240)
class KillTests {

	private static final int ROUNDS = 4;

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	@TempDir
	Path dir;

	@Test
	void everyAcknowledgedSaveSurvivesSigkillAndTheFileStaysSound() throws Exception {
		Path file = this.dir.resolve("killed.duckdb");
		Random random = new Random(20250301);
		Map<String, TaskInfo> earlierRounds = new HashMap<>();
		for (int round = 0; round < ROUNDS; round++) {
			int killAfter = 200 + random.nextInt(1801);
			Map<String, Integer> acknowledged = runAndKill(file, "r" + round, random.nextLong(), killAfter);
			assertThat(acknowledged).isNotEmpty();
			Map<String, TaskInfo> stored = verify(file, acknowledged, earlierRounds);
			earlierRounds.putAll(stored);
		}
	}

	/**
	 * Run the writer until it has acknowledged the given number of saves, kill it, and
	 * return the latest acknowledged version of each id.
	 */
	private Map<String, Integer> runAndKill(Path file, String round, long seed, int killAfter) throws Exception {
		try (ChildJvm writer = ChildJvm.start(this.dir, KilledWriter.class, file.toString(), round,
				Long.toString(seed))) {
			writer.awaitLine("ready"::equals, PATIENCE);
			long deadline = System.nanoTime() + PATIENCE.toNanos();
			int acks = 0;
			while (acks < killAfter) {
				String line = writer.nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
				if (line == null) {
					fail("The writer stopped or stalled after " + acks + " acknowledgements. Its output:\n"
							+ writer.output());
				}
				if (line.startsWith("ack ")) {
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
					assertThat(task).isEqualTo(KilledWriter.task(task.id(), task.retryCount()));
					assertThat(stored.put(task.id(), task)).as("a second row of %s", task.id()).isNull();
				}
			}
			assertThat(stored).containsAllEntriesOf(earlierRounds);
			assertThat(stored.keySet()).containsAll(acknowledged.keySet());
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
