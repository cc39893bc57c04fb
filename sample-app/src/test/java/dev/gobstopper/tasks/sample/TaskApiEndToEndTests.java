package dev.gobstopper.tasks.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The REST API over real HTTP, on a real DuckDB file.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "demo-tasks.threads=4")
@DirtiesContext
@Timeout(120)
class TaskApiEndToEndTests {

	@TempDir
	static Path dir;

	private final TaskApiClient api;

	private final TaskStorage storage;

	TaskApiEndToEndTests(@LocalServerPort int port, @Autowired TaskStorage storage) {
		this.api = new TaskApiClient(port);
		this.storage = storage;
	}

	@DynamicPropertySource
	static void taskDatabase(DynamicPropertyRegistry registry) {
		registry.add("gobstopper.tasks.db-path", () -> dir.resolve("tasks.duckdb").toString());
	}

	@Test
	void aSubmittedDemoTaskIsAcceptedAsPendingWithItsArgumentsAndALocationToFollow() {
		ResponseEntity<Map<String, Object>> response = this.api
			.submit("{\"category\":\"reports\",\"steps\":3,\"stepMillis\":50,\"input\":{\"report\":\"q3\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		Map<String, Object> task = response.getBody();
		assertThat(task).containsEntry("status", "pending")
			.containsEntry("name", "demo")
			.containsEntry("category", "reports")
			.containsEntry("priority", 2)
			.containsEntry("args", List.of(3, 50))
			.containsEntry("kwargs", Map.of("fail", false, "input", Map.of("report", "q3")))
			.containsEntry("startedAt", null)
			.containsEntry("progress", 0.0);
		String id = (String) task.get("id");
		assertThat(response.getHeaders().getLocation()).hasToString(this.api.baseUrl() + "/tasks/" + id);
		assertThat(this.api.get(response.getHeaders().getLocation().toString()).getBody()).containsEntry("id", id);
	}

	@Test
	void aDemoTaskEndsInSuccessWithItsResultFullProgressAndTimings() {
		String id = this.api
			.submitAccepted("{\"category\":\"reports\",\"steps\":3,\"stepMillis\":50,\"input\":{\"pages\":[1,2]}}");
		Map<String, Object> task = this.api.awaitStatus(id, "success");
		assertThat(task).containsEntry("progress", 100.0)
			.containsEntry("progressMessage", "step 3 of 3")
			.containsEntry("result", Map.of("steps", 3, "input", Map.of("pages", List.of(1, 2))))
			.containsEntry("error", null);
		Instant createdAt = instant(task, "createdAt");
		Instant startedAt = instant(task, "startedAt");
		Instant completedAt = instant(task, "completedAt");
		assertThat(startedAt).isAfterOrEqualTo(createdAt);
		assertThat(completedAt).isAfterOrEqualTo(startedAt);
		// Three steps sleep 50 ms each
		assertThat((double) task.get("elapsedSeconds")).isGreaterThanOrEqualTo(0.14);
	}

	@Test
	void aRunningDemoTaskRecordsItsProgressStepByStep() {
		String id = this.api.submitAccepted("{\"category\":\"progress\",\"steps\":100,\"stepMillis\":200}");
		Map<String, Object> first = this.api.awaitTask(id, (task) -> (double) task.get("progress") >= 1);
		assertStartedAtItsRecordedStep(first);
		double seen = (double) first.get("progress");
		Map<String, Object> later = this.api.awaitTask(id, (task) -> (double) task.get("progress") > seen);
		assertStartedAtItsRecordedStep(later);
	}

	@Test
	void aDemoTaskAskedToFailEndsFailedAtItsMiddleStepWithItsError() {
		String id = this.api.submitAccepted("{\"category\":\"failing\",\"steps\":4,\"stepMillis\":10,\"fail\":true}");
		Map<String, Object> task = this.api.awaitStatus(id, "failed");
		assertThat(task).containsEntry("error", "Failed at step 3 of 4, as the request asked")
			.containsEntry("progress", 50.0)
			.containsEntry("progressMessage", "step 2 of 4")
			.containsEntry("result", null);
		assertThat(instant(task, "completedAt")).isAfterOrEqualTo(instant(task, "startedAt"));
		assertThat((double) task.get("elapsedSeconds")).isGreaterThan(0);
	}

	@Test
	void aSubmissionWithoutABodyRunsTheDefaultDemoTask() {
		ResponseEntity<Map<String, Object>> response = this.api.submit(null);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(response.getBody()).containsEntry("category", "demo")
			.containsEntry("args", List.of(5, 200))
			.containsEntry("kwargs", Map.of("fail", false, "input", Map.of()));
	}

	@ParameterizedTest
	@MethodSource("badBodies")
	void aBadBodyIsABadRequestNamingTheFieldAndSavesNothing(String body, String detail) {
		ResponseEntity<Map<String, Object>> response = this.api.submit(body);
		assertBadRequest(response, detail);
		assertThat(this.api.list("?category=rejected").getBody()).isEmpty();
	}

	static Stream<Arguments> badBodies() {
		return Stream.of(Arguments.of("{\"category\":\"rejected\",\"steps\":0}", "steps must be between 1 and 100, got 0"),
				Arguments.of("{\"category\":\"rejected\",\"steps\":101}", "steps must be between 1 and 100, got 101"),
				Arguments.of("{\"category\":\"rejected\",\"stepMillis\":-1}",
						"stepMillis must be between 0 and 10000, got -1"),
				Arguments.of("{\"category\":\"rejected\",\"stepMillis\":10001}",
						"stepMillis must be between 0 and 10000, got 10001"),
				Arguments.of("{\"category\":\"rejected\",\"steps\":\"many\"}", "steps must be a whole number"),
				Arguments.of("{\"category\":\"rejected\",\"steps\":99999999999}", "steps is out of range"),
				Arguments.of("{\"category\":\"rejected\",\"fail\":\"maybe\"}", "fail must be true or false"),
				Arguments.of("{\"category\":\"rejected\",\"input\":[1]}", "input must be a JSON object"),
				Arguments.of("{\"category\":\"rejected\",\"step\":3}",
						"Unknown field 'step'; the known fields are category, fail, input, stepMillis, steps"),
				Arguments.of("{\"category\":\" \"}", "category must not be blank"),
				Arguments.of("[\"rejected\"]", "The request body must be a JSON object"),
				Arguments.of("{\"category\":\"rejected\",\"steps\":", "The request body is not valid JSON"));
	}

	@Test
	void gettingATaskShowsEveryFieldWithTheStoredStatusAndPriorityValues() {
		Instant createdAt = Instant.parse("2026-01-02T03:04:05.123456Z");
		TaskInfo saved = TaskInfo.builder()
			.name("export")
			.category("fields")
			.priority(TaskPriority.HIGH)
			.status(TaskStatus.RETRY)
			.createdAt(createdAt)
			.startedAt(createdAt.plusSeconds(1))
			.completedAt(createdAt.plusSeconds(3))
			.elapsedSeconds(2.5)
			.result(Map.of("rows", 42))
			.error("Timed out")
			.retryCount(1)
			.maxRetries(3)
			.args(List.of("a", 1))
			.kwargs(Map.of("dryRun", true))
			.progress(75)
			.progressMessage("three quarters")
			.build();
		this.storage.saveTask(saved);
		assertThat(this.api.task(saved.id())).containsOnly(Map.entry("id", saved.id()), Map.entry("name", "export"),
				Map.entry("category", "fields"), Map.entry("priority", 3), Map.entry("status", "retry"),
				Map.entry("createdAt", "2026-01-02T03:04:05.123456Z"),
				Map.entry("startedAt", "2026-01-02T03:04:06.123456Z"),
				Map.entry("completedAt", "2026-01-02T03:04:08.123456Z"), Map.entry("elapsedSeconds", 2.5),
				Map.entry("result", Map.of("rows", 42)), Map.entry("error", "Timed out"), Map.entry("retryCount", 1),
				Map.entry("maxRetries", 3), Map.entry("args", List.of("a", 1)),
				Map.entry("kwargs", Map.of("dryRun", true)), Map.entry("progress", 75.0),
				Map.entry("progressMessage", "three quarters"));
	}

	@Test
	void anUnknownTaskIsNotFound() {
		ResponseEntity<Map<String, Object>> response = this.api.get("/tasks/no-such-task");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody()).containsEntry("detail", "No task with id 'no-such-task'");
	}

	@Test
	void listingFiltersByCategoryNewestFirst() {
		List<TaskInfo> tasks = seedFourTasks();
		seed("other-" + UUID.randomUUID(), TaskStatus.SUCCESS, Instant.now());
		assertThat(ids(this.api.list("?category=" + tasks.get(0).category()))).containsExactly(tasks.get(3).id(),
				tasks.get(2).id(), tasks.get(1).id(), tasks.get(0).id());
	}

	@Test
	void listingFiltersByTheStoredStatusValueInAnyCase() {
		List<TaskInfo> tasks = seedFourTasks();
		String category = tasks.get(0).category();
		for (String status : List.of("success", "SUCCESS", "Success")) {
			assertThat(ids(this.api.list("?category=" + category + "&status=" + status)))
				.containsExactly(tasks.get(2).id(), tasks.get(1).id());
		}
		assertThat(ids(this.api.list("?category=" + category + "&status=pending"))).containsExactly(tasks.get(0).id());
	}

	@Test
	void listingPagesWithLimitAndOffset() {
		List<TaskInfo> tasks = seedFourTasks();
		String category = tasks.get(0).category();
		assertThat(ids(this.api.list("?category=" + category + "&limit=2&offset=1"))).containsExactly(tasks.get(2).id(),
				tasks.get(1).id());
		assertThat(ids(this.api.list("?category=" + category + "&offset=3"))).containsExactly(tasks.get(0).id());
		assertThat(ids(this.api.list("?category=" + category + "&limit=0"))).isEmpty();
	}

	@Test
	void emptyFilterParametersMeanAny() {
		List<TaskInfo> tasks = seedFourTasks();
		assertThat(ids(this.api.list("?category=" + tasks.get(0).category() + "&status=&limit=&offset=")))
			.hasSize(4);
		assertThat(ids(this.api.list("?category=&status=failed&limit=1000"))).contains(tasks.get(3).id());
	}

	@Test
	void listingReturnsOneHundredTasksByDefaultAndNeverMoreThanAThousand() {
		String category = "many-" + UUID.randomUUID();
		Instant now = Instant.now();
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			tasks.add(TaskInfo.builder().name("bulk").category(category).createdAt(now.minusSeconds(i)).build());
		}
		this.storage.saveTasks(tasks);
		assertThat(this.api.list("?category=" + category).getBody()).hasSize(100);
		assertThat(this.api.list("?category=" + category + "&limit=5000").getBody()).hasSize(1000);
		assertThat(this.api.list("?category=" + category + "&limit=5000&offset=1000").getBody()).hasSize(1);
	}

	@ParameterizedTest
	@MethodSource("badQueries")
	void aBadQueryParameterIsABadRequestNamingIt(String uri, String detail) {
		ResponseEntity<Map<String, Object>> response = uri.startsWith("/tasks/cleanup") ? this.api.post(uri)
				: this.api.get(uri);
		assertBadRequest(response, detail);
	}

	static Stream<Arguments> badQueries() {
		return Stream.of(
				Arguments.of("/tasks?status=bogus",
						"status must be one of pending, started, success, failed, cancelled, retry, got 'bogus'"),
				Arguments.of("/tasks?limit=-1", "limit must not be negative, got -1"),
				Arguments.of("/tasks?offset=-1", "offset must not be negative, got -1"),
				Arguments.of("/tasks?limit=ten", "Failed to convert 'limit' with value: 'ten'"),
				Arguments.of("/tasks/cleanup?days=-1", "days must not be negative, got -1"),
				Arguments.of("/tasks/cleanup?months=-1", "months must not be negative, got -1"),
				Arguments.of("/tasks/cleanup?years=-1", "years must not be negative, got -1"));
	}

	@Test
	void cleanupDeletesFinishedTasksOlderThanThePeriodsAndKeepsTheRest() {
		String category = "cleanup-" + UUID.randomUUID();
		Instant fortyDaysAgo = Instant.now().minus(Duration.ofDays(40));
		TaskInfo oldSuccess = seed(category, TaskStatus.SUCCESS, fortyDaysAgo);
		TaskInfo oldFailed = seed(category, TaskStatus.FAILED, fortyDaysAgo);
		TaskInfo recentSuccess = seed(category, TaskStatus.SUCCESS, Instant.now().minus(Duration.ofDays(1)));
		TaskInfo oldPending = seed(category, TaskStatus.PENDING, fortyDaysAgo);
		TaskInfo oldStarted = seed(category, TaskStatus.STARTED, fortyDaysAgo);
		assertThat(deleted("/tasks/cleanup")).isZero();
		assertThat(deleted("/tasks/cleanup?years=1")).isZero();
		assertThat(deleted("/tasks/cleanup?months=1&days=5")).isEqualTo(2);
		assertThat(deleted("/tasks/cleanup?days=30")).isZero();
		assertThat(this.api.get("/tasks/" + oldSuccess.id()).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.api.get("/tasks/" + oldFailed.id()).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(ids(this.api.list("?category=" + category))).containsExactlyInAnyOrder(recentSuccess.id(),
				oldPending.id(), oldStarted.id());
	}

	private void assertStartedAtItsRecordedStep(Map<String, Object> task) {
		int step = (int) (double) task.get("progress");
		assertThat((double) task.get("progress")).isCloseTo(step, within(1e-9));
		assertThat(task).containsEntry("status", "started")
			.containsEntry("progressMessage", "step " + step + " of 100")
			.containsEntry("completedAt", null)
			.containsEntry("result", null);
		assertThat(instant(task, "startedAt")).isAfterOrEqualTo(instant(task, "createdAt"));
	}

	private static void assertBadRequest(ResponseEntity<Map<String, Object>> response, String detail) {
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody()).containsEntry("detail", detail)
			.containsEntry("status", 400)
			.containsEntry("title", "Bad Request");
		assertThat(response.getBody().keySet()).isSubsetOf("type", "title", "status", "detail", "instance");
	}

	/**
	 * Save a pending, two successful and a failed task, a minute apart, oldest first.
	 */
	private List<TaskInfo> seedFourTasks() {
		String category = "list-" + UUID.randomUUID();
		Instant now = Instant.now();
		return List.of(seed(category, TaskStatus.PENDING, now.minus(Duration.ofMinutes(4))),
				seed(category, TaskStatus.SUCCESS, now.minus(Duration.ofMinutes(3))),
				seed(category, TaskStatus.SUCCESS, now.minus(Duration.ofMinutes(2))),
				seed(category, TaskStatus.FAILED, now.minus(Duration.ofMinutes(1))));
	}

	/**
	 * Save a task created at the given time; one that has finished completed then too.
	 */
	private TaskInfo seed(String category, TaskStatus status, Instant createdAt) {
		TaskInfo task = TaskInfo.builder()
			.name("seeded")
			.category(category)
			.status(status)
			.createdAt(createdAt)
			.startedAt((status != TaskStatus.PENDING) ? createdAt : null)
			.completedAt(status.isTerminal() ? createdAt : null)
			.build();
		this.storage.saveTask(task);
		return task;
	}

	private int deleted(String uri) {
		ResponseEntity<Map<String, Object>> response = this.api.post(uri);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsOnlyKeys("deleted");
		return (int) response.getBody().get("deleted");
	}

	private static List<Object> ids(ResponseEntity<List<Map<String, Object>>> response) {
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return response.getBody().stream().map((task) -> task.get("id")).toList();
	}

	private static Instant instant(Map<String, Object> task, String field) {
		Object value = task.get(field);
		assertThat(value).as(field).isInstanceOf(String.class);
		return Instant.parse((String) value);
	}

}
