package dev.gobstopper.tasks.duckdb;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.support.TaskRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values read back equal to what was saved: from the journal, from the task table, and
 * after a restart.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskRoundTripTests {

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	@BeforeEach
	void openStorage() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	private TaskInfo roundTrip(TaskInfo task) {
		this.storage.saveTask(task);
		TaskInfo fresh = this.storage.getTask(task.id()).orElseThrow();
		assertThat(fresh).isEqualTo(task);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask(task.id())).contains(task);
		assertThat(this.storage.getTasks(task.category(), task.status())).contains(task);
		this.storage.close();
		this.storage = this.db.openStorage();
		TaskInfo reopened = this.storage.getTask(task.id()).orElseThrow();
		assertThat(reopened).isEqualTo(task);
		return reopened;
	}

	private static Map<String, Object> mapOf(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	@Test
	void nestedMapsAndListsRoundTrip() {
		Object result = mapOf("summary", mapOf("rows", 1200, "files", List.of("a.csv", "b.csv")), "batches",
				List.of(List.of(1, 2, 3), List.of(), List.of(mapOf("id", 7, "tags", List.of("x", mapOf())))),
				"empty", mapOf());
		TaskInfo task = task("nested").result(result)
			.args(List.of(List.of(List.of(List.of("deep"))), mapOf("k", List.of(mapOf("kk", 1)))))
			.kwargs(mapOf("options", mapOf("retry", mapOf("backoff", List.of(1, 2, 4)))))
			.build();
		roundTrip(task);
	}

	@ParameterizedTest
	@ValueSource(strings = { "emoji \uD83D\uDE00\uD83C\uDF89 and a flag \uD83C\uDDEB\uD83C\uDDF7",
			"CJK \u4E2D\u6587\u5B57\u7B26 \u65E5\u672C\u8A9E \uD55C\uAD6D\uC5B4", "combining e\u0301 a\u030A n\u0303",
			"right-to-left \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627", "zero-width \u200B\u200D\uFEFF",
			"\"double\" and 'single' quotes", "back\\slash \\\\ \\n \\u0041 \\\"", "control \u0000 \u0001 \u001F \u007F",
			"whitespace \t\n\r\f\b", "json-looking {\"a\": [1, 2]} and null", "" })
	void stringsRoundTripInEveryJsonColumn(String text) {
		TaskInfo task = task("text").result(text)
			.args(List.of(text, List.of(text)))
			.kwargs(mapOf(text, text, "nested", mapOf(text, List.of(text))))
			.build();
		roundTrip(task);
	}

	@ParameterizedTest
	@ValueSource(strings = { "emoji \uD83D\uDE00 CJK \u4E2D\u6587 combining e\u0301",
			"\"quotes\" 'quotes' \\backslash\\", "tab\tnewline\ncarriage\rreturn\u0001", "'; DROP TABLE tasks; --" })
	void stringsRoundTripInEveryTextColumn(String text) {
		TaskInfo task = task(text).name(text)
			.category(text)
			.error(text)
			.progressMessage(text)
			.build();
		roundTrip(task);
	}

	@Test
	void numbersReadBackAsIntegerLongBigIntegerOrDouble() {
		List<Object> numbers = List.of(0, 42, -7, Integer.MAX_VALUE, Integer.MIN_VALUE, 2_147_483_648L, Long.MAX_VALUE,
				Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"),
				new BigInteger("-98765432109876543210"), 3.14, -0.5, 2.0, 0.1, 1e300, -1e-300, Double.MAX_VALUE,
				Double.MIN_VALUE);
		TaskInfo task = task("numbers").result(numbers).args(numbers).kwargs(mapOf("n", numbers)).build();
		TaskInfo read = roundTrip(task);
		assertThat((List<?>) read.result()).extracting((value) -> value.getClass().getSimpleName())
			.containsExactly("Integer", "Integer", "Integer", "Integer", "Integer", "Long", "Long", "Long",
					"BigInteger", "BigInteger", "Double", "Double", "Double", "Double", "Double", "Double", "Double",
					"Double");
	}

	@Test
	void booleansAndNullsInsideListsAndMapsRoundTrip() {
		Map<String, Object> withNulls = new HashMap<>();
		withNulls.put("missing", null);
		withNulls.put("present", true);
		withNulls.put("list", Arrays.asList(null, false, null));
		TaskInfo task = task("nulls").result(Arrays.asList(true, false, null, withNulls))
			.args(Arrays.asList(null, null))
			.kwargs(withNulls)
			.build();
		roundTrip(task);
	}

	@Test
	void scalarResultsRoundTrip() {
		roundTrip(task("string").result("done").build());
		roundTrip(task("int").result(7).build());
		roundTrip(task("double").result(0.25).build());
		roundTrip(task("true").result(true).build());
		roundTrip(task("false").result(false).build());
	}

	@Test
	void aNullResultRoundTripsAndIsStoredAsJsonNullLikeTheOriginal() {
		roundTrip(task("none").result(null).build());
		assertThat(this.db.strings("SELECT result FROM tasks WHERE id = 'none'")).containsExactly("null");
	}

	@Test
	void nanAndInfinityRoundTripAndAreStoredAsPythonsJsonWritesThem() {
		List<Object> specials = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5);
		TaskInfo task = task("specials").result(specials)
			.args(List.of(Double.NaN))
			.kwargs(mapOf("inf", Double.POSITIVE_INFINITY, "list", specials))
			.build();
		TaskInfo read = roundTrip(task);
		assertThat(read.result()).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5));
		String stored = this.db.strings("SELECT result FROM tasks WHERE id = 'specials'").get(0);
		assertThat(stored.replace(" ", "")).isEqualTo("[NaN,Infinity,-Infinity,1.5]");
		assertThat(this.db.strings("SELECT kwargs FROM tasks WHERE id = 'specials'").get(0))
			.contains("Infinity")
			.doesNotContain("\"Infinity\"");
	}

	@Test
	void jsonWrittenByPythonWithNanAndInfinityIsRead() {
		this.db.execute("INSERT INTO tasks (" + String.join(", ", TaskRow.SEED_COLUMNS) + ") VALUES ('py', 'n', 'c', 2, 'success', '2024-05-01T10:15:30', NULL, NULL, "
				+ "0.0, '[NaN, Infinity, -Infinity]', NULL, 0, 0, '[NaN]', '{\"x\": -Infinity}', 0.0, '')");
		TaskInfo read = this.storage.getTask("py").orElseThrow();
		assertThat(read.result()).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
		assertThat(read.args()).containsExactly(Double.NaN);
		assertThat(read.kwargs()).containsEntry("x", Double.NEGATIVE_INFINITY);
	}

	@Test
	void anObjectResultReadsBackAsAMapOfItsProperties() {
		Report report = new Report("q3", 12, List.of("eu", "us"), new Report.Totals(3.5, null));
		TaskInfo task = task("pojo").result(report).args(List.of(report)).kwargs(mapOf("report", report)).build();
		this.storage.saveTask(task);
		Map<String, Object> expected = mapOf("name", "q3", "pages", 12, "regions", List.of("eu", "us"), "totals",
				mapOf("amount", 3.5, "currency", null));
		TaskInfo read = this.storage.getTask("pojo").orElseThrow();
		assertThat(read.result()).isEqualTo(expected);
		assertThat(read.args()).containsExactly(expected);
		assertThat(read.kwargs()).isEqualTo(mapOf("report", expected));
		assertThat(read).isEqualTo(task.toBuilder()
			.result(expected)
			.args(List.of(expected))
			.kwargs(mapOf("report", expected))
			.build());
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("pojo")).contains(read);
	}

	@Test
	void largeValuesRoundTrip() {
		List<Object> many = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			many.add(mapOf("i", i, "s", "value " + i));
		}
		roundTrip(task("large").result(many).args(List.of("x".repeat(1_000_000))).build());
	}

	@ParameterizedTest
	@ValueSource(strings = { "2025-03-01T12:00:00.123456Z", "2025-03-01T12:00:00Z", "2025-03-01T12:00:00.000001Z",
			"2025-03-01T12:00:00.999999Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z",
			"1969-12-31T23:59:59.000001Z", "1900-01-01T00:00:00.5Z", "1582-10-04T23:59:59.123456Z",
			"0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000001Z", "2262-04-11T23:47:16.854776Z",
			"9999-12-31T00:00:00Z", "9999-12-31T23:59:59.999999Z" })
	void timestampsRoundTripToTheMicrosecond(String timestamp) {
		Instant instant = Instant.parse(timestamp);
		TaskInfo task = task("ts").status(TaskStatus.SUCCESS)
			.createdAt(instant)
			.startedAt(instant)
			.completedAt(instant)
			.build();
		TaskInfo read = roundTrip(task);
		assertThat(read.createdAt()).isEqualTo(instant);
		assertThat(read.startedAt()).isEqualTo(instant);
		assertThat(read.completedAt()).isEqualTo(instant);
	}

	@Test
	void timestampsAreStoredInUtc() {
		Instant instant = Instant.parse("2024-05-01T10:15:30.123456Z");
		roundTrip(task("utc").createdAt(instant).build());
		assertThat(this.db.strings("SELECT strftime(created_at, '%Y-%m-%dT%H:%M:%S.%f') FROM tasks"))
			.containsExactly("2024-05-01T10:15:30.123456");
	}

	@Test
	void doublesRoundTripExactly() {
		TaskInfo task = task("doubles").elapsedSeconds(0.1 + 0.2).progress(33.333333333333336).build();
		roundTrip(task);
		assertThat(this.storage.getTask("doubles").orElseThrow().elapsedSeconds()).isEqualTo(0.1 + 0.2);
	}

	/**
	 * A result object, as an application's own type.
	 */
	record Report(String name, int pages, List<String> regions, Totals totals) {

		record Totals(double amount, String currency) {

		}

	}

}
