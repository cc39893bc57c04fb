package dev.gobstopper.tasks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.gobstopper.tasks.TestTasks.fullTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TaskInfoTests {

	@Test
	void builderDefaultsToARandomUuidNormalPriorityPendingCreatedNowWithNoArgumentsAndAnEmptyMessage() {
		Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
		TaskInfo task = TaskInfo.builder().name("send_email").category("email").build();
		Instant after = Instant.now();
		assertThat(UUID.fromString(task.id()).toString()).isEqualTo(task.id());
		assertThat(task.priority()).isEqualTo(TaskPriority.NORMAL);
		assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
		assertThat(task.createdAt()).isBetween(before, after);
		assertThat(task.args()).isEmpty();
		assertThat(task.kwargs()).isEmpty();
		assertThat(task.progressMessage()).isEmpty();
		assertThat(task.startedAt()).isNull();
		assertThat(task.completedAt()).isNull();
		assertThat(task.result()).isNull();
		assertThat(task.error()).isNull();
		assertThat(task.elapsedSeconds()).isZero();
		assertThat(task.retryCount()).isZero();
		assertThat(task.maxRetries()).isZero();
		assertThat(task.progress()).isZero();
	}

	@Test
	void eachBuilderDrawsANewId() {
		assertThat(Stream.generate(() -> TaskInfo.builder().name("n").category("c").build().id()).limit(100))
			.doesNotHaveDuplicates();
	}

	@Test
	void builderHasNoDefaultNameOrCategory() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskInfo.builder().category("email").build())
			.withMessageContaining("name");
		assertThatIllegalArgumentException().isThrownBy(() -> TaskInfo.builder().name("send_email").build())
			.withMessageContaining("category");
	}

	@Test
	void toBuilderStartsFromEveryValueOfTheTask() {
		TaskInfo task = fullTask("t-1");
		assertThat(task.toBuilder().build()).isEqualTo(task);
	}

	@Test
	void toBuilderLeavesTheOriginalTaskAlone() {
		TaskInfo task = fullTask("t-1");
		TaskInfo changed = task.toBuilder().status(TaskStatus.RETRY).retryCount(4).build();
		assertThat(changed.status()).isEqualTo(TaskStatus.RETRY);
		assertThat(changed.retryCount()).isEqualTo(4);
		assertThat(changed.id()).isEqualTo("t-1");
		assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(task.retryCount()).isEqualTo(3);
	}

	@ParameterizedTest
	@EnumSource(TaskStatus.class)
	void isRunningOnlyWhileStarted(TaskStatus status) {
		assertThat(task("t").status(status).build().isRunning()).isEqualTo(status == TaskStatus.STARTED);
	}

	@ParameterizedTest
	@EnumSource(TaskStatus.class)
	void isCompletedExactlyInATerminalStatus(TaskStatus status) {
		assertThat(task("t").status(status).build().isCompleted()).isEqualTo(status.isTerminal());
	}

	static Stream<Arguments> valuesThatCanNeverBeStored() {
		return Stream.of(rejected("id", (b) -> b.id(null)), rejected("id", (b) -> b.id("")),
				rejected("id", (b) -> b.id(" \t")), rejected("name", (b) -> b.name(null)),
				rejected("name", (b) -> b.name("")), rejected("name", (b) -> b.name("   ")),
				rejected("category", (b) -> b.category(null)), rejected("category", (b) -> b.category("")),
				rejected("category", (b) -> b.category("\n")), rejected("priority", (b) -> b.priority(null)),
				rejected("status", (b) -> b.status(null)), rejected("createdAt", (b) -> b.createdAt(null)),
				rejected("retryCount", (b) -> b.retryCount(-1)), rejected("maxRetries", (b) -> b.maxRetries(-1)),
				rejected("elapsedSeconds", (b) -> b.elapsedSeconds(-0.001)),
				rejected("elapsedSeconds", (b) -> b.elapsedSeconds(Double.NaN)),
				rejected("elapsedSeconds", (b) -> b.elapsedSeconds(Double.POSITIVE_INFINITY)),
				rejected("progress", (b) -> b.progress(-0.1)), rejected("progress", (b) -> b.progress(100.001)),
				rejected("progress", (b) -> b.progress(Double.NaN)),
				rejected("progress", (b) -> b.progress(Double.NEGATIVE_INFINITY)),
				rejected("progress", (b) -> b.progress(Double.POSITIVE_INFINITY)),
				rejected("attempt", (b) -> b.attempt(-1)), rejected("maxAttempts", (b) -> b.maxAttempts(0)),
				rejected("idempotencyKey", (b) -> b.idempotencyKey("k".repeat(TaskLimits.MAX_KEY_LENGTH + 1))));
	}

	private static Arguments rejected(String field, UnaryOperator<TaskInfo.Builder> change) {
		return arguments(field, change);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesThatCanNeverBeStored")
	void constructorRejectsAValueThatCanNeverBeStoredNamingTheField(String field,
			UnaryOperator<TaskInfo.Builder> change) {
		TaskInfo.Builder builder = change.apply(task("t-1"));
		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.satisfies((ex) -> assertThat(ex.getMessage()).containsPattern("\\b" + field + "\\b"));
	}

	@Test
	void theConstructorOfTheFirstSeventeenComponentsGivesTheNewOnesTheirDefaults() {
		TaskInfo full = fullTask("t-1");
		TaskInfo task = new TaskInfo(full.id(), full.name(), full.category(), full.priority(), full.status(),
				full.createdAt(), full.startedAt(), full.completedAt(), full.elapsedSeconds(), full.result(),
				full.error(), full.retryCount(), full.maxRetries(), full.args(), full.kwargs(), full.progress(),
				full.progressMessage());
		assertThat(task).isEqualTo(full);
		assertThat(task.attempt()).isZero();
		assertThat(task.maxAttempts()).isOne();
		assertThat(task.idempotencyKey()).isNull();
		assertThat(task.leaseOwner()).isNull();
	}

	@Test
	void progressMayBeExactlyZeroOrOneHundred() {
		assertThat(task("t").progress(0).build().progress()).isZero();
		assertThat(task("t").progress(100).build().progress()).isEqualTo(100);
	}

	@Test
	void timestampsOutsideTheYearsDuckDbStoresAreRejectedNamingTheField() {
		Instant tooLate = Instant.parse("9999-12-31T23:59:59.999999Z").plus(1, ChronoUnit.MICROS);
		Instant tooEarly = Instant.parse("0001-01-01T00:00:00Z").minusNanos(1000);
		assertThatIllegalArgumentException().isThrownBy(() -> task("t").createdAt(tooLate).build())
			.withMessageContaining("createdAt");
		assertThatIllegalArgumentException().isThrownBy(() -> task("t").startedAt(tooEarly).build())
			.withMessageContaining("startedAt");
		assertThatIllegalArgumentException().isThrownBy(() -> task("t").completedAt(tooLate).build())
			.withMessageContaining("completedAt");
	}

	@Test
	void timestampsAreTruncatedToMicroseconds() {
		Instant precise = Instant.parse("2025-03-01T12:00:00.123456789Z");
		Instant micros = Instant.parse("2025-03-01T12:00:00.123456Z");
		TaskInfo task = task("t").createdAt(precise).startedAt(precise).completedAt(precise).build();
		assertThat(task.createdAt()).isEqualTo(micros);
		assertThat(task.startedAt()).isEqualTo(micros);
		assertThat(task.completedAt()).isEqualTo(micros);
		assertThat(task).isEqualTo(task("t").createdAt(micros).startedAt(micros).completedAt(micros).build());
	}

	@Test
	void theLastNanosecondsOfTheYear9999AreKeptAsItsLastMicrosecond() {
		Instant last = Instant.parse("9999-12-31T23:59:59.999999999Z");
		assertThat(task("t").createdAt(last).build().createdAt())
			.isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
	}

	@Test
	void timestampsBeforeTheEpochAreTruncatedTowardsTheEarlierMicrosecond() {
		Instant precise = Instant.parse("1969-12-31T23:59:59.999999999Z");
		assertThat(task("t").createdAt(precise).build().createdAt())
			.isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
	}

	@Test
	void argsAreAnUnmodifiableCopy() {
		List<Object> args = new ArrayList<>(List.of("a", 1));
		TaskInfo task = task("t").args(args).build();
		args.add("later");
		assertThat(task.args()).containsExactly("a", 1);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> task.args().add("x"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> task.args().clear());
	}

	@Test
	void kwargsAreAnUnmodifiableCopy() {
		Map<String, Object> kwargs = new LinkedHashMap<>(Map.of("to", "a@example.com"));
		TaskInfo task = task("t").kwargs(kwargs).build();
		kwargs.put("cc", "b@example.com");
		assertThat(task.kwargs()).containsExactly(Map.entry("to", "a@example.com"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> task.kwargs().put("bcc", "c@example.com"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> task.kwargs().clear());
	}

	@Test
	void argsAndKwargsMayHoldNulls() {
		Map<String, Object> kwargs = new HashMap<>();
		kwargs.put("reply_to", null);
		TaskInfo task = task("t").args(Arrays.asList("a", null)).kwargs(kwargs).build();
		assertThat(task.args()).containsExactly("a", null);
		assertThat(task.kwargs()).containsEntry("reply_to", null);
	}

	@Test
	void kwargsRejectANullKey() {
		Map<String, Object> kwargs = new HashMap<>();
		kwargs.put(null, 1);
		assertThatIllegalArgumentException().isThrownBy(() -> task("t").kwargs(kwargs).build())
			.withMessageContaining("kwargs");
	}

	@Test
	void nullArgsAndKwargsBecomeEmpty() {
		TaskInfo task = task("t").args(null).kwargs(null).build();
		assertThat(task.args()).isEmpty();
		assertThat(task.kwargs()).isEmpty();
	}

	@Test
	void nullProgressMessageBecomesEmpty() {
		assertThat(task("t").progressMessage(null).build().progressMessage()).isEmpty();
	}

	@Test
	void textWithAnUnpairedSurrogateIsRejectedNamingTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> task("t").name("bad\uD800").build())
			.withMessageContaining("name");
		assertThatIllegalArgumentException().isThrownBy(() -> task("t").error("\uDC00 bad").build())
			.withMessageContaining("error");
		assertThatIllegalArgumentException().isThrownBy(() -> task("t").progressMessage("\uDBFF").build())
			.withMessageContaining("progressMessage");
	}

	@Test
	void toStringLeavesOutResultErrorArgsAndKwargs() {
		TaskInfo task = task("t-42").name("charge_card")
			.result(Map.of("card", "secret-result"))
			.error("secret-error")
			.args(List.of("secret-arg"))
			.kwargs(Map.of("secret-key", "secret-value"))
			.build();
		assertThat(task.toString()).contains("t-42", "charge_card", "email", "PENDING", "NORMAL")
			.doesNotContain("secret");
	}

	@Test
	void tasksWithEqualValuesAreEqual() {
		assertThat(fullTask("t-1")).isEqualTo(fullTask("t-1")).hasSameHashCodeAs(fullTask("t-1"));
		assertThat(fullTask("t-1")).isNotEqualTo(fullTask("t-2"));
	}

}
