package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.gobstopper.tasks.TestTasks.fullTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input is refused with an {@link IllegalArgumentException} naming the field, and
 * leaves the task table and the journal as they were.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageBadInputTests {

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	private List<String> before;

	@BeforeEach
	void openStorageWithATask() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
		this.storage.saveTask(fullTask("existing"));
		this.db.awaitJournalMerged();
		this.before = contents();
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	/**
	 * Return every row of both tables, as text.
	 */
	private List<String> contents() {
		List<String> rows = new ArrayList<>(this.db.strings("SELECT t::VARCHAR FROM tasks t ORDER BY id"));
		rows.add("journal:");
		rows.addAll(this.db.strings("SELECT j::VARCHAR FROM tasks_journal j ORDER BY seq"));
		return rows;
	}

	private void assertRefusedNamingAndNothingWritten(ThrowingCallable call, String... named) {
		assertThatIllegalArgumentException().isThrownBy(call).withMessageContainingAll(named);
		assertThat(contents()).isEqualTo(this.before);
		assertThat(this.storage.getTask("existing")).contains(fullTask("existing"));
	}

	/**
	 * A value Jackson cannot write: it has no properties.
	 */
	static final class NoProperties {

	}

	/**
	 * A value Jackson cannot write: it refers to itself.
	 */
	static final class SelfReference {

		public SelfReference getSelf() {
			return this;
		}

	}

	/**
	 * A value Jackson cannot write: reading its property fails.
	 */
	static final class FailingGetter {

		public String getValue() {
			throw new IllegalStateException("no value");
		}

	}

	static Stream<Arguments> unwritableValues() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("an object without properties", new NoProperties());
		values.put("an object referring to itself", new SelfReference());
		values.put("an object whose getter fails", new FailingGetter());
		values.put("an unwritable object deep inside", Map.of("nested", List.of(new NoProperties())));
		values.put("a string with a lone high surrogate", "lone surrogate \uD800 in a string");
		values.put("a key with a lone low surrogate", Map.of("key \uDC00", "lone surrogate in a key"));
		values.put("a list with a lone surrogate", Arrays.asList("ok", "\uDBFF"));
		List<Arguments> arguments = new ArrayList<>();
		for (Map.Entry<String, Object> entry : values.entrySet()) {
			String name = entry.getKey();
			Object value = entry.getValue();
			arguments.add(arguments("result", name, (UnaryOperator<TaskInfo.Builder>) (b) -> b.result(value)));
			arguments.add(arguments("args", name, (UnaryOperator<TaskInfo.Builder>) (b) -> b.args(List.of(1, value))));
			arguments.add(arguments("kwargs", name, (UnaryOperator<TaskInfo.Builder>) (b) -> b.kwargs(Map.of("v", value))));
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("unwritableValues")
	void saveTaskRefusesAValueThatCannotBeWrittenAsJson(String field, String kind,
			UnaryOperator<TaskInfo.Builder> value) {
		TaskInfo task = value.apply(task("bad")).build();
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTask(task), "bad", field);
		assertThat(this.storage.getTask("bad")).isEmpty();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("unwritableValues")
	void saveTaskRefusesAnUpdateWithAValueThatCannotBeWrittenAsJson(String field, String kind,
			UnaryOperator<TaskInfo.Builder> value) {
		TaskInfo update = value.apply(fullTask("existing").toBuilder()).build();
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTask(update), "existing", field);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("unwritableValues")
	void saveTasksRefusesTheWholeBatchWhenOneValueCannotBeWritten(String field, String kind,
			UnaryOperator<TaskInfo.Builder> value) {
		List<TaskInfo> batch = List.of(task("good-1").build(), value.apply(task("bad")).build(),
				fullTask("existing").toBuilder().progress(1).build(), task("good-2").build());
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTasks(batch), "bad", field);
		assertThat(this.storage.getTask("good-1")).isEmpty();
		assertThat(this.storage.getTask("good-2")).isEmpty();
	}

	@Test
	void saveTaskRefusesNull() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTask(null), "task");
	}

	@Test
	void saveTasksRefusesNull() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTasks(null), "tasks");
	}

	@Test
	void saveTasksRefusesABatchHoldingNullAndSavesNoneOfIt() {
		List<TaskInfo> batch = Arrays.asList(task("good-1").build(), null, task("good-2").build());
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTasks(batch), "tasks[1]");
		assertThat(this.storage.getTask("good-1")).isEmpty();
	}

	@Test
	void getTaskRefusesANullId() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTask(null), "taskId");
	}

	@Test
	void deleteTaskRefusesANullId() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.deleteTask(null), "taskId");
	}

	@Test
	void idsWithAnUnpairedSurrogateAreRefused() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTask("existing\uD800"), "taskId");
		assertRefusedNamingAndNothingWritten(() -> this.storage.deleteTask("\uDC00existing"), "taskId");
	}

	@Test
	void getTasksRefusesACategoryWithAnUnpairedSurrogate() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks("reports\uD800", null), "category");
	}

	@Test
	void getTasksRefusesANegativeLimit() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks(null, null, -1, 0), "limit");
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks("reports", TaskStatus.FAILED,
				Integer.MIN_VALUE, 0), "limit");
	}

	@Test
	void getTasksRefusesANegativeOffset() {
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks(null, null, 10, -1), "offset");
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks(null, TaskStatus.FAILED, 0,
				Integer.MIN_VALUE), "offset");
	}

	@Test
	void aRefusedSaveDoesNotDisturbTheSavesAfterIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.storage.saveTask(task("bad").result(new NoProperties()).build()));
		TaskInfo good = task("good").build();
		this.storage.saveTask(good);
		assertThat(this.storage.getTask("good")).contains(good);
		assertThat(this.storage.getTask("bad")).isEmpty();
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(2);
	}

}
