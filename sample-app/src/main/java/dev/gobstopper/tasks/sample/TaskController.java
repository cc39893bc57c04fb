package dev.gobstopper.tasks.sample;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reads task records and cleans up old ones.
 */
@RestController
@RequestMapping("/tasks")
class TaskController {

	static final int MAX_LIMIT = 1000;

	private static final String STATUS_VALUES = Arrays.stream(TaskStatus.values())
		.map(TaskStatus::value)
		.collect(Collectors.joining(", "));

	private final TaskStorage storage;

	TaskController(TaskStorage storage) {
		this.storage = storage;
	}

	@GetMapping("/{id}")
	TaskResponse get(@PathVariable String id) {
		return this.storage.getTask(id)
			.map(TaskResponse::from)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No task with id '" + id + "'"));
	}

	/**
	 * List tasks newest first. Empty parameters mean any.
	 * @param category the category, or any
	 * @param status a stored status value in any case, such as {@code success}, or any
	 * @param limit the most tasks to return, at most {@value #MAX_LIMIT}
	 * @param offset how many matching tasks to skip
	 * @return the tasks, newest first
	 */
	@GetMapping
	List<TaskResponse> list(@RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "100") int limit,
			@RequestParam(defaultValue = "0") int offset) {
		return this.storage
			.getTasks(StringUtils.hasLength(category) ? category : null, parseStatus(status), Math.min(limit, MAX_LIMIT),
					offset)
			.stream()
			.map(TaskResponse::from)
			.toList();
	}

	/**
	 * Delete finished tasks that completed longer ago than the periods together.
	 * @param days days to keep
	 * @param months months of 30 days to keep
	 * @param years years of 365 days to keep
	 * @return how many tasks were deleted; none when every period is 0
	 */
	@PostMapping("/cleanup")
	CleanupResponse cleanup(@RequestParam(defaultValue = "0") int days, @RequestParam(defaultValue = "0") int months,
			@RequestParam(defaultValue = "0") int years) {
		return new CleanupResponse(this.storage.cleanupOldTasks(days, months, years));
	}

	private static @Nullable TaskStatus parseStatus(@Nullable String status) {
		if (!StringUtils.hasLength(status)) {
			return null;
		}
		String value = status.toLowerCase(Locale.ROOT);
		return Arrays.stream(TaskStatus.values())
			.filter((candidate) -> candidate.value().equals(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"status must be one of " + STATUS_VALUES + ", got '" + status + "'"));
	}

}
