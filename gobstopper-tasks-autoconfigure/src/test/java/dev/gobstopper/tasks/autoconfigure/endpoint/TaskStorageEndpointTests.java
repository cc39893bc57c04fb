package dev.gobstopper.tasks.autoconfigure.endpoint;

import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.autoconfigure.endpoint.TaskStorageEndpoint.TaskStorageDescriptor;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TaskStorageEndpoint} and {@link TaskStorageEndpointWebExtension} on a
 * real DuckDB store.
 */
class TaskStorageEndpointTests {

	private static final String MASK = "******";

	private static final TaskInfo TASK = TestTasks.fullTask("report-1");

	@TempDir
	Path tempDir;

	private DuckDbTaskStorage storage;

	@BeforeEach
	void openStorage() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.storage = DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:" + file)).build();
		this.storage.saveTask(TASK);
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	@Test
	void byDefaultATasksPayloadsAreMaskedAndEverythingElseIsShown() {
		TaskDescriptor task = endpoint(Show.NEVER).task(TASK.id());
		assertThat(task).isNotNull();
		assertThat(task.result()).isEqualTo(MASK);
		assertThat(task.args()).isEqualTo(MASK);
		assertThat(task.kwargs()).isEqualTo(MASK);
		assertThat(task.error()).isEqualTo(MASK);
		assertThat(task.id()).isEqualTo(TASK.id());
		assertThat(task.name()).isEqualTo(TASK.name());
		assertThat(task.category()).isEqualTo(TASK.category());
		assertThat(task.priority()).isEqualTo(4);
		assertThat(task.status()).isEqualTo("failed");
		assertThat(task.createdAt()).isEqualTo(TASK.createdAt());
		assertThat(task.completedAt()).isEqualTo(TASK.completedAt());
		assertThat(task.progressMessage()).isEqualTo(TASK.progressMessage());
		assertThat(task.retryCount()).isEqualTo(TASK.retryCount());
	}

	@Test
	void whenValuesAreAlwaysShownATasksPayloadsAreShown() {
		TaskDescriptor task = endpoint(Show.ALWAYS).task(TASK.id());
		assertThat(task).isNotNull();
		assertThat(task.result()).isEqualTo(TASK.result());
		assertThat(task.args()).isEqualTo(TASK.args());
		assertThat(task.kwargs()).isEqualTo(TASK.kwargs());
		assertThat(task.error()).isEqualTo(TASK.error());
	}

	@Test
	void payloadsShownWhenAuthorizedAreShownOverJmxAndOverHttpToAnAuthenticatedUserWithARole() {
		TaskStorageEndpoint endpoint = endpoint(Show.WHEN_AUTHORIZED);
		assertThat(endpoint.task(TASK.id()).result()).isEqualTo(TASK.result());
		TaskStorageEndpointWebExtension web = new TaskStorageEndpointWebExtension(endpoint, Show.WHEN_AUTHORIZED,
				Set.of("OPERATOR"));
		assertThat(web.task(SecurityContext.NONE, TASK.id()).getBody().result()).isEqualTo(MASK);
		assertThat(web.task(user("VIEWER"), TASK.id()).getBody().result()).isEqualTo(MASK);
		assertThat(web.task(user("OPERATOR"), TASK.id()).getBody().result()).isEqualTo(TASK.result());
	}

	@Test
	void shownPayloadsAreStillMaskedByTheApplicationsSanitizingFunctions() {
		SanitizingFunction hideErrors = SanitizingFunction.sanitizeValue().ifKeyEquals("error");
		TaskStorageEndpoint endpoint = new TaskStorageEndpoint(this.storage, List.of(hideErrors), Show.ALWAYS,
				Clock.systemUTC());
		TaskDescriptor task = endpoint.task(TASK.id());
		assertThat(task.error()).isEqualTo(MASK);
		assertThat(task.result()).isEqualTo(TASK.result());
	}

	@Test
	void aTaskThatDoesNotExistIsNullOverJmxAndNotFoundOverHttp() {
		TaskStorageEndpoint endpoint = endpoint(Show.ALWAYS);
		assertThat(endpoint.task("missing")).isNull();
		WebEndpointResponse<TaskDescriptor> response = new TaskStorageEndpointWebExtension(endpoint, Show.ALWAYS,
				Set.of())
			.task(SecurityContext.NONE, "missing");
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	@Test
	void deletingATaskRemovesItAndSaysWhetherThereWasOne() {
		TaskStorageEndpoint endpoint = endpoint(Show.NEVER);
		assertThat(endpoint.deleteTask(TASK.id()))
			.isEqualTo(new TaskStorageEndpoint.DeletedTaskDescriptor(TASK.id(), true));
		assertThat(this.storage.getTask(TASK.id())).isEmpty();
		assertThat(endpoint.deleteTask(TASK.id()).deleted()).isFalse();
	}

	@Test
	void cleanupDeletesTheFinishedTasksOlderThanTheRetention() {
		Instant now = Instant.now();
		TaskInfo recent = TestTasks.fullTask("recent").toBuilder().completedAt(now).build();
		this.storage.saveTask(recent);
		TaskStorageEndpoint.CleanupDescriptor cleanup = endpoint(Show.NEVER).cleanup(Duration.ofDays(7));
		assertThat(cleanup.deleted()).isOne();
		assertThat(cleanup.retention()).isEqualTo(Duration.ofDays(7));
		assertThat(this.storage.getTask(TASK.id())).isEmpty();
		assertThat(this.storage.getTask(recent.id())).contains(recent);
	}

	@Test
	void aRetentionThatIsNotPositiveIsAnInvalidRequest() {
		for (Duration retention : List.of(Duration.ofDays(-1), Duration.ZERO)) {
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint(Show.NEVER).cleanup(retention))
				.withMessage("retention must be positive, got " + retention);
		}
		assertThat(this.storage.getTask(TASK.id())).isPresent();
	}

	@Test
	void theSummaryHoldsTheCountsPerStatusAndTheStatisticsOfTheLast24Hours() {
		Instant now = Instant.now();
		this.storage.saveTasks(List.of(TestTasks.task("recent-1").createdAt(now.minusSeconds(60)).build(),
				TestTasks.task("recent-2")
					.createdAt(now.minusSeconds(30))
					.status(TaskStatus.SUCCESS)
					.completedAt(now)
					.elapsedSeconds(2)
					.build()));
		TaskStorageDescriptor summary = endpoint(Show.NEVER).tasks();
		assertThat(summary.counts().total()).isEqualTo(3);
		assertThat(summary.counts().byStatus()).containsExactly(Map.entry("pending", 1L), Map.entry("started", 0L),
				Map.entry("success", 1L), Map.entry("failed", 1L), Map.entry("cancelled", 0L),
				Map.entry("retry", 0L));
		assertThat(summary.statistics().since()).isBetween(now.minus(Duration.ofHours(24)).minusSeconds(60),
				Instant.now().minus(Duration.ofHours(24)));
		// The full task was created in 2025: only the two recent ones count
		assertThat(summary.statistics().byName()).singleElement().satisfies((statistics) -> {
			assertThat(statistics.name()).isEqualTo("send_email");
			assertThat(statistics.total()).isEqualTo(2);
			assertThat(statistics.succeeded()).isOne();
		});
	}

	private TaskStorageEndpoint endpoint(Show show) {
		return new TaskStorageEndpoint(this.storage, List.of(), show, Clock.systemUTC());
	}

	private static SecurityContext user(String role) {
		Principal principal = () -> "alice";
		return new SecurityContext() {

			@Override
			public @Nullable Principal getPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String candidate) {
				return candidate.equals(role);
			}

		};
	}

}
