package dev.gobstopper.tasks.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * The sample's health, metrics and {@code gobstoppertasks} endpoint over real HTTP, as
 * its {@code application.yml} exposes them, on a real DuckDB file.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@Timeout(120)
class OperationsEndToEndTests {

	static final String MASK = "******";

	@TempDir
	static Path dir;

	private final TaskApiClient api;

	private final TaskStorage storage;

	OperationsEndToEndTests(@LocalServerPort int port, @Autowired TaskStorage storage) {
		this.api = new TaskApiClient(port);
		this.storage = storage;
	}

	@DynamicPropertySource
	static void taskDatabase(DynamicPropertyRegistry registry) {
		registry.add("gobstopper.tasks.db-path", () -> dir.resolve("tasks.duckdb").toString());
	}

	@Test
	void theHealthOfTheTaskStorageIsUpWithItsDetails() {
		ResponseEntity<Map<String, Object>> response = this.api.get("/actuator/health");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).extractingByKey("components", MAP)
			.extractingByKey("gobstopperTasks", MAP)
			.containsEntry("status", "UP")
			.extractingByKey("details", MAP)
			.containsEntry("type", "duckdb");
	}

	@Test
	void savesAreMeasuredByOutcome() {
		this.storage.saveTask(TaskInfo.builder().name("measured").category("metrics").build());
		ResponseEntity<Map<String, Object>> response = this.api
			.get("/actuator/metrics/gobstopper.tasks.saves?tag=outcome:success");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("baseUnit", "seconds")
			.containsKey("description")
			.extractingByKey("measurements", LIST)
			.first(MAP)
			.containsEntry("statistic", "COUNT")
			.extractingByKey("value")
			.satisfies((count) -> assertThat(((Number) count).doubleValue()).isGreaterThanOrEqualTo(1));
		assertThat(this.api.get("/actuator/metrics/gobstopper.tasks.saves").getBody())
			.extractingByKey("availableTags", LIST)
			.containsExactly(Map.of("tag", "outcome", "values", List.of("error", "success")));
	}

	@Test
	void theEndpointGivesTheCountsPerStatusAndTheStatisticsOfTheLast24Hours() {
		this.storage.saveTask(TaskInfo.builder().name("counted").category("summary").build());
		ResponseEntity<Map<String, Object>> response = this.api.get("/actuator/gobstoppertasks");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).extractingByKey("counts", MAP)
			.containsKeys("total", "byStatus")
			.extractingByKey("byStatus", MAP)
			.containsOnlyKeys("pending", "started", "success", "failed", "cancelled", "retry");
		assertThat(response.getBody()).extractingByKey("statistics", MAP)
			.containsKey("since")
			.extractingByKey("byName", LIST)
			.anySatisfy((statistics) -> assertThat(statistics).asInstanceOf(MAP).containsEntry("name", "counted"));
	}

	@Test
	void byDefaultATasksPayloadsAreMasked() {
		TaskInfo task = secretTask();
		this.storage.saveTask(task);
		ResponseEntity<Map<String, Object>> response = this.api.get("/actuator/gobstoppertasks/" + task.id());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("id", task.id())
			.containsEntry("name", "charge-card")
			.containsEntry("status", "failed")
			.containsEntry("result", MASK)
			.containsEntry("args", MASK)
			.containsEntry("kwargs", MASK)
			.containsEntry("error", MASK);
	}

	@Test
	void aTaskThatDoesNotExistIsNotFound() {
		assertThat(this.api.get("/actuator/gobstoppertasks/no-such-task").getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void aTaskIsDeletedThroughTheEndpoint() {
		TaskInfo task = TaskInfo.builder().name("doomed").category("delete").build();
		this.storage.saveTask(task);
		ResponseEntity<Map<String, Object>> response = this.api.delete("/actuator/gobstoppertasks/" + task.id());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("id", task.id()).containsEntry("deleted", true);
		assertThat(this.storage.getTask(task.id())).isEmpty();
	}

	@Test
	void cleanupRunsThroughTheEndpointWithTheGivenRetention() {
		Instant longAgo = Instant.now().minus(Duration.ofDays(400));
		TaskInfo old = TaskInfo.builder()
			.name("ancient")
			.category("cleanup")
			.status(TaskStatus.SUCCESS)
			.createdAt(longAgo)
			.completedAt(longAgo)
			.build();
		this.storage.saveTask(old);
		ResponseEntity<Map<String, Object>> response = this.api.post("/actuator/gobstoppertasks",
				"{\"retention\":\"365d\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("deleted", 1);
		assertThat(this.storage.getTask(old.id())).isEmpty();
		assertThat(this.api.post("/actuator/gobstoppertasks", "{\"retention\":\"-1d\"}").getStatusCode())
			.isEqualTo(HttpStatus.BAD_REQUEST);
	}

	static TaskInfo secretTask() {
		return TaskInfo.builder()
			.name("charge-card")
			.category("billing")
			.status(TaskStatus.FAILED)
			.completedAt(Instant.now())
			.result(Map.of("card", "4111-1111-1111-1111"))
			.args(List.of("4111-1111-1111-1111"))
			.kwargs(Map.of("cvc", "123"))
			.error("Card 4111-1111-1111-1111 declined")
			.build();
	}

}
