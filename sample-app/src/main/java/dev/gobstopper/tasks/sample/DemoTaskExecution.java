package dev.gobstopper.tasks.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one demo task and records each stage of its life: started, one progress update per
 * step, then success, failure or cancellation.
 */
final class DemoTaskExecution implements Runnable {

	private static final Log logger = LogFactory.getLog(DemoTaskExecution.class);

	private final TaskStorage storage;

	private final DemoTask demoTask;

	private final TaskInfo pending;

	DemoTaskExecution(TaskStorage storage, DemoTask demoTask, TaskInfo pending) {
		this.storage = storage;
		this.demoTask = demoTask;
		this.pending = pending;
	}

	@Override
	public void run() {
		long start = System.nanoTime();
		int steps = this.demoTask.steps();
		TaskInfo task = this.pending.toBuilder().status(TaskStatus.STARTED).startedAt(Instant.now()).build();
		int done = 0;
		try {
			this.storage.saveTask(task);
			for (int step = 1; step <= steps; step++) {
				Thread.sleep(this.demoTask.stepMillis());
				if (this.demoTask.fail() && step == this.demoTask.failingStep()) {
					this.storage.saveTask(finished(task, TaskStatus.FAILED, start)
						.error("Failed at step " + step + " of " + steps + ", as the request asked")
						.build());
					return;
				}
				task = task.toBuilder()
					.progress(100.0 * step / steps)
					.progressMessage("step " + step + " of " + steps)
					.build();
				done = step;
				this.storage.saveTask(task);
			}
			saveSuccess(task, start);
		}
		catch (InterruptedException ex) {
			recordInterrupted(task, start, done);
		}
		catch (RuntimeException ex) {
			// An interrupt while a save waits for its commit surfaces as a storage error
			if (Thread.interrupted()) {
				recordInterrupted(task, start, done);
			}
			else {
				logger.warn("Demo task '" + task.id() + "' stopped: its record could not be saved", ex);
			}
		}
	}

	/**
	 * Record the success with its result, or, should the storage refuse the result (too
	 * large with the input it repeats), a failure that says why, so the record never stays
	 * "started".
	 */
	private void saveSuccess(TaskInfo task, long start) {
		try {
			this.storage.saveTask(finished(task, TaskStatus.SUCCESS, start).result(result()).build());
		}
		catch (IllegalArgumentException refused) {
			this.storage.saveTask(finished(task, TaskStatus.FAILED, start)
				.error("The result could not be stored: " + refused.getMessage())
				.build());
		}
	}

	/**
	 * Record that the task was never run.
	 * @param reason why not, stored as the task's error
	 */
	void recordNotRun(String reason) {
		this.storage.saveTask(this.pending.toBuilder()
			.status(TaskStatus.CANCELLED)
			.completedAt(Instant.now())
			.error(reason)
			.build());
	}

	private void recordInterrupted(TaskInfo task, long start, int done) {
		try {
			this.storage.saveTask(finished(task, TaskStatus.CANCELLED, start)
				.error("Cancelled when the application shut down, after " + done + " of " + this.demoTask.steps()
						+ " steps")
				.build());
		}
		catch (RuntimeException ex) {
			logger.warn("Demo task '" + task.id() + "' was cancelled, but its record could not be saved", ex);
		}
		finally {
			Thread.currentThread().interrupt();
		}
	}

	private Map<String, @Nullable Object> result() {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		result.put("steps", this.demoTask.steps());
		result.put("input", this.demoTask.input());
		return result;
	}

	private static TaskInfo.Builder finished(TaskInfo task, TaskStatus status, long start) {
		return task.toBuilder()
			.status(status)
			.completedAt(Instant.now())
			.elapsedSeconds((System.nanoTime() - start) / 1e9);
	}

}
