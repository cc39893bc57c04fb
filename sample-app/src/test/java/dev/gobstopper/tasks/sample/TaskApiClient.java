package dev.gobstopper.tasks.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls the sample's REST API over real HTTP, answering error statuses instead of
 * throwing them.
 */
final class TaskApiClient {

	static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Set<String> FINAL_STATUSES = Set.of("success", "failed", "cancelled");

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Map<String, Object>>> JSON_ARRAY = new ParameterizedTypeReference<>() {
	};

	private final String baseUrl;

	private final RestClient http;

	TaskApiClient(int port) {
		this.baseUrl = "http://localhost:" + port;
		this.http = RestClient.builder()
			.baseUrl(this.baseUrl)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	String baseUrl() {
		return this.baseUrl;
	}

	ResponseEntity<Map<String, Object>> submit(@Nullable String json) {
		RestClient.RequestBodySpec request = this.http.post().uri("/demo-tasks");
		if (json != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(json);
		}
		return request.retrieve().toEntity(JSON_OBJECT);
	}

	String submitAccepted(String json) {
		ResponseEntity<Map<String, Object>> response = submit(json);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		return (String) response.getBody().get("id");
	}

	ResponseEntity<Map<String, Object>> get(String uri) {
		return this.http.get().uri(uri).retrieve().toEntity(JSON_OBJECT);
	}

	ResponseEntity<Map<String, Object>> post(String uri) {
		return this.http.post().uri(uri).retrieve().toEntity(JSON_OBJECT);
	}

	ResponseEntity<Map<String, Object>> post(String uri, String json) {
		return this.http.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.retrieve()
			.toEntity(JSON_OBJECT);
	}

	ResponseEntity<Map<String, Object>> delete(String uri) {
		return this.http.delete().uri(uri).retrieve().toEntity(JSON_OBJECT);
	}

	ResponseEntity<List<Map<String, Object>>> list(String query) {
		return this.http.get().uri("/tasks" + query).retrieve().toEntity(JSON_ARRAY);
	}

	Map<String, Object> task(String id) {
		ResponseEntity<Map<String, Object>> response = get("/tasks/" + id);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return response.getBody();
	}

	Map<String, Object> awaitTask(String id, Predicate<Map<String, Object>> condition) {
		return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(25)).until(() -> task(id), condition);
	}

	/**
	 * Wait until the task has the status, or fail as soon as it ends with another.
	 */
	Map<String, Object> awaitStatus(String id, String status) {
		Map<String, Object> task = awaitTask(id,
				(candidate) -> status.equals(candidate.get("status")) || FINAL_STATUSES.contains(candidate.get("status")));
		assertThat(task).containsEntry("status", status);
		return task;
	}

}
