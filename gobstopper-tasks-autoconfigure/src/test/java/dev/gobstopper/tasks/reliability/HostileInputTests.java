package dev.gobstopper.tasks.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskLimits;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Hostile values in every field of a task are either stored and read back faithfully, or
 * refused with an {@link IllegalArgumentException} naming the field or the limit, with
 * nothing written; hostile stored JSON is refused when read, without exhausting the
 * reader.
 */
@Timeout(240)
class HostileInputTests {

	private static final int TASKS = 2_000;

	private static final int BATCHES = 300;

	@TempDir
	Path dir;

	private DuckDbTaskStorage storage;

	private Connection connection;

	/** What each stored id reads back as. */
	private final Map<String, TaskInfo> stored = new HashMap<>();

	@BeforeEach
	void open() throws SQLException {
		DuckDBDataSource dataSource = new DuckDBDataSource("jdbc:duckdb:" + this.dir.resolve("hostile.duckdb"));
		this.storage = DuckDbTaskStorage.builder(dataSource).build();
		this.connection = dataSource.getConnection();
	}

	@AfterEach
	void close() throws SQLException {
		this.connection.close();
		this.storage.close();
	}

	@Test
	void fuzzedTasksAreStoredFaithfullyOrRefusedNamingTheFieldWithNothingWritten() throws SQLException {
		HostileTasks tasks = new HostileTasks(20240611);
		Random updates = new Random(7);
		List<String> ids = new ArrayList<>();
		int saved = 0;
		for (int i = 0; i < TASKS; i++) {
			String existing = (!ids.isEmpty() && updates.nextInt(5) == 0) ? ids.get(updates.nextInt(ids.size())) : null;
			HostileTasks.Candidate candidate = tasks.next(existing);
			if (saveOrRefuse(candidate)) {
				saved++;
				if (existing == null) {
					ids.add(candidate.id());
				}
			}
		}
		assertThat(saved).as("tasks saved").isBetween(TASKS / 4, TASKS - TASKS / 10);
		assertThat(everyTask()).isEqualTo(this.stored);
	}

	@Test
	void fuzzedBatchesAreSavedWhollyOrNotAtAll() throws SQLException {
		HostileTasks tasks = new HostileTasks(99);
		Random batches = new Random(11);
		List<String> ids = new ArrayList<>();
		int saved = 0;
		for (int b = 0; b < BATCHES; b++) {
			List<TaskInfo> batch = new ArrayList<>();
			List<HostileTasks.Candidate> candidates = new ArrayList<>();
			Set<String> problems = new LinkedHashSet<>();
			while (batch.size() < 1 + batches.nextInt(5)) {
				String existing = (!ids.isEmpty() && batches.nextInt(4) == 0) ? ids.get(batches.nextInt(ids.size()))
						: null;
				HostileTasks.Candidate candidate = tasks.next(existing);
				if (candidate.refusedOnConstruction()) {
					continue;
				}
				batch.add(candidate.builder().build());
				candidates.add(candidate);
				problems.addAll(candidate.problems());
			}
			long rows = rows();
			try {
				this.storage.saveTasks(batch);
			}
			catch (IllegalArgumentException ex) {
				assertThat(problems).as("refused: %s", ex.getMessage()).isNotEmpty();
				assertNamesOneOf(ex, problems);
				assertThat(rows()).isEqualTo(rows);
				for (TaskInfo task : batch) {
					assertUnchanged(task.id(), Set.of());
				}
				continue;
			}
			assertThat(problems).as("saved a batch despite problems").isEmpty();
			Map<String, TaskInfo> last = new LinkedHashMap<>();
			for (int i = 0; i < batch.size(); i++) {
				last.put(batch.get(i).id(), candidates.get(i).readBack(batch.get(i)));
			}
			last.forEach((id, task) -> {
				assertThat(this.storage.getTask(id)).as("read back of %s", task).contains(task);
				if (this.stored.put(id, task) == null) {
					ids.add(id);
				}
			});
			saved++;
		}
		assertThat(saved).as("batches saved").isBetween(BATCHES / 10, BATCHES - BATCHES / 10);
		assertThat(everyTask()).isEqualTo(this.stored);
	}

	@ParameterizedTest
	@ValueSource(strings = { "result", "args", "kwargs", "error", "progressMessage" })
	void aTaskOfExactlyTheRecordLimitIsStoredAndOneCharacterMoreIsRefused(String field) throws SQLException {
		TaskInfo atLimit = ofRecordLength("edge-" + field, field, TaskLimits.MAX_RECORD_LENGTH);
		this.storage.saveTask(atLimit);
		assertThat(this.storage.getTask(atLimit.id())).contains(atLimit);
		TaskInfo beyond = ofRecordLength("EDGE-" + field, field, TaskLimits.MAX_RECORD_LENGTH + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.saveTask(beyond))
			.withMessageContaining("'" + beyond.id() + "'")
			.withMessageContaining("MAX_RECORD_LENGTH");
		assertThat(rows()).isOne();
		assertThat(this.storage.getTask(beyond.id())).isEmpty();
	}

	@Test
	void storedJsonNestedDeeperThanTheLimitIsRefusedWhenRead() throws SQLException {
		int depth = 100_000;
		insertRow("deep-result", "deep", "[".repeat(depth) + "]".repeat(depth), "[]", "{}");
		insertRow("deep-args", "deep", "null", nested(TaskLimits.MAX_JSON_DEPTH + 1), "{}");
		insertRow("deep-kwargs", "deep", "null", "[]",
				"{\"k\": " + nested(TaskLimits.MAX_JSON_DEPTH) + "}");
		assertRefusedWhenRead("deep-result", "result");
		assertRefusedWhenRead("deep-args", "args");
		assertRefusedWhenRead("deep-kwargs", "kwargs");
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTasks("deep", null))
			.withMessageMatching(
					"Stored task 'deep-(result|args|kwargs)' has an unreadable (result|args|kwargs) column: .*");
	}

	@Test
	void aStoredJsonStringLongerThanTheRecordLimitIsRefusedWhenRead() throws SQLException {
		String text = "\"" + "x".repeat(TaskLimits.MAX_RECORD_LENGTH + 1) + "\"";
		insertRow("long-result", "long", text, "[]", "{}");
		insertRow("long-kwargs", "long", "null", "[]", "{\"k\": " + text + "}");
		assertRefusedWhenRead("long-result", "result");
		assertRefusedWhenRead("long-kwargs", "kwargs");
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTasks("long", null))
			.withMessageMatching("Stored task 'long-(result|kwargs)' has an unreadable (result|kwargs) column: .*");
	}

	@Test
	void aStoredJsonDocumentLongerThanTheRecordLimitIsRefusedWhenRead() throws SQLException {
		StringBuilder numbers = new StringBuilder("[0");
		for (int i = 1; numbers.length() <= TaskLimits.MAX_RECORD_LENGTH; i++) {
			numbers.append(',').append(i);
		}
		insertRow("huge-result", "huge", numbers.append(']').toString(), "[]", "{}");
		assertRefusedWhenRead("huge-result", "result");
	}

	/**
	 * Save the candidate, check that it was stored faithfully or refused as it must be, and
	 * return whether it was stored.
	 */
	private boolean saveOrRefuse(HostileTasks.Candidate candidate) throws SQLException {
		long rows = rows();
		TaskInfo task;
		try {
			task = candidate.builder().build();
		}
		catch (IllegalArgumentException ex) {
			assertThat(candidate.refusedOnConstruction()).as("refused %s: %s", candidate.problems(), ex.getMessage())
				.isTrue();
			assertNamesOneOf(ex, candidate.problems());
			return false;
		}
		assertThat(candidate.refusedOnConstruction()).as("constructed despite %s", candidate.problems()).isFalse();
		try {
			this.storage.saveTask(task);
		}
		catch (IllegalArgumentException ex) {
			assertThat(candidate.problems()).as("refused %s: %s", task, ex.getMessage()).isNotEmpty();
			assertNamesOneOf(ex, candidate.problems());
			assertThat(rows()).as("rows after a refused save").isEqualTo(rows);
			assertUnchanged(task.id(), candidate.problems());
			return false;
		}
		assertThat(candidate.problems()).as("saved %s despite", task).isEmpty();
		TaskInfo readBack = candidate.readBack(task);
		assertThat(this.storage.getTask(task.id())).as("read back of %s", task).contains(readBack);
		assertThat(rows()).isEqualTo(rows + (this.stored.containsKey(task.id()) ? 0 : 1));
		this.stored.put(task.id(), readBack);
		return true;
	}

	private void assertUnchanged(String id, Set<String> problems) {
		if (this.stored.containsKey(id)) {
			assertThat(this.storage.getTask(id)).contains(this.stored.get(id));
		}
		else if (!problems.contains("id")) {
			assertThat(this.storage.getTask(id)).isEmpty();
		}
	}

	private static void assertNamesOneOf(IllegalArgumentException ex, Set<String> problems) {
		assertThat(problems).as("the fields named in: %s", ex.getMessage())
			.anyMatch((field) -> ex.getMessage().contains(field)
					|| ex.getMessage().contains("TaskLimits.MAX_RECORD_LENGTH"));
	}

	private void assertRefusedWhenRead(String id, String column) {
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> this.storage.getTask(id))
			.withMessageStartingWith("Stored task '" + id + "' has an unreadable " + column + " column: ");
	}

	/**
	 * Return a task whose text and JSON add up to the given length, most of it in one
	 * field.
	 */
	private static TaskInfo ofRecordLength(String id, String field, int length) {
		// name, category and the JSON of an empty task: "null", "[]" and "{}"
		int rest = length - id.length() - 2 - 4 - 2 - 2;
		TaskInfo.Builder task = TaskInfo.builder().id(id).name("n").category("c");
		return switch (field) {
			case "result" -> task.result("r".repeat(rest + 4 - 2)).build();
			case "args" -> task.args(List.of("a".repeat(rest + 2 - 4))).build();
			case "kwargs" -> task.kwargs(Map.of("k", "v".repeat(rest + 2 - 8))).build();
			case "error" -> task.error("e".repeat(rest)).build();
			default -> task.progressMessage("p".repeat(rest)).build();
		};
	}

	private static String nested(int depth) {
		return "[".repeat(depth) + "1" + "]".repeat(depth);
	}

	private void insertRow(String id, String category, String result, String args, String kwargs) throws SQLException {
		try (PreparedStatement insert = this.connection.prepareStatement("""
				INSERT INTO tasks (id, name, category, priority, status, created_at, started_at, completed_at,
				    elapsed_seconds, result, error, retry_count, max_retries, args, kwargs, progress, progress_message)
				VALUES (?, 'raw', ?, 2, 'pending', TIMESTAMP '2025-01-01 00:00:00', NULL, NULL, 0.0, ?, NULL, 0, 0,
				    ?, ?, 0.0, '')""")) {
			insert.setString(1, id);
			insert.setString(2, category);
			insert.setString(3, result);
			insert.setString(4, args);
			insert.setString(5, kwargs);
			insert.executeUpdate();
		}
	}

	/**
	 * Return the number of tasks, merged or not.
	 */
	private long rows() throws SQLException {
		try (Statement statement = this.connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT count(*) FROM (SELECT id FROM tasks UNION SELECT id FROM tasks_journal)")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private Map<String, TaskInfo> everyTask() {
		Map<String, TaskInfo> tasks = new HashMap<>();
		for (int offset = 0;; offset += 1000) {
			List<TaskInfo> page = this.storage.getTasks(null, null, 1000, offset);
			if (page.isEmpty()) {
				return tasks;
			}
			page.forEach((task) -> tasks.put(task.id(), task));
		}
	}

}
