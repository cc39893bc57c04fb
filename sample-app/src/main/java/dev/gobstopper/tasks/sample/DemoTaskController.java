package dev.gobstopper.tasks.sample;

import java.net.URI;

import dev.gobstopper.tasks.TaskInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Submits demo tasks.
 */
@RestController
class DemoTaskController {

	private static final DemoTaskRequest DEFAULTS = new DemoTaskRequest(null, null, null, null, null);

	private final DemoTaskRunner runner;

	DemoTaskController(DemoTaskRunner runner) {
		this.runner = runner;
	}

	/**
	 * Queue a demo task and answer at once with its pending record and where to follow it.
	 * @param request the demo task to run, or none for the defaults
	 * @return 202 Accepted with the task and a Location header
	 */
	@PostMapping("/demo-tasks")
	ResponseEntity<TaskResponse> submit(@RequestBody(required = false) @Nullable DemoTaskRequest request) {
		DemoTask demoTask = ((request != null) ? request : DEFAULTS).toDemoTask();
		TaskInfo task = this.runner.submit(demoTask);
		URI location = ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/tasks/{id}")
			.buildAndExpand(task.id())
			.toUri();
		return ResponseEntity.accepted().location(location).body(TaskResponse.from(task));
	}

}
