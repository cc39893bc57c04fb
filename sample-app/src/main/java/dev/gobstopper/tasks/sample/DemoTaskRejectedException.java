package dev.gobstopper.tasks.sample;

/**
 * Thrown when a demo task cannot be queued; its record says so.
 */
class DemoTaskRejectedException extends RuntimeException {

	private final String taskId;

	DemoTaskRejectedException(String taskId, String reason) {
		super("Task '" + taskId + "' was not run: " + reason);
		this.taskId = taskId;
	}

	String getTaskId() {
		return this.taskId;
	}

}
