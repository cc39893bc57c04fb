package dev.gobstopper.tasks.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Records demo tasks as pending and runs them in the background.
 */
@Component
class DemoTaskRunner implements DisposableBean {

	static final String TASK_NAME = "demo";

	private static final long SHUTDOWN_WAIT_SECONDS = 10;

	private static final Log logger = LogFactory.getLog(DemoTaskRunner.class);

	private final TaskStorage storage;

	private final ExecutorService executor;

	DemoTaskRunner(TaskStorage storage, @Qualifier("demoTaskExecutor") ExecutorService executor) {
		this.storage = storage;
		this.executor = executor;
	}

	/**
	 * Save the demo task as pending and queue it.
	 * @param demoTask the demo task to run
	 * @return the task as saved
	 * @throws DemoTaskRejectedException if the task cannot be queued; it is saved as
	 * cancelled then
	 */
	TaskInfo submit(DemoTask demoTask) {
		TaskInfo pending = TaskInfo.builder()
			.name(TASK_NAME)
			.category(demoTask.category())
			.args(List.of(demoTask.steps(), demoTask.stepMillis()))
			.kwargs(kwargs(demoTask))
			.build();
		// Saved before it is queued, so the runner's later saves always follow this one
		this.storage.saveTask(pending);
		DemoTaskExecution execution = new DemoTaskExecution(this.storage, demoTask, pending);
		try {
			this.executor.execute(execution);
		}
		catch (RejectedExecutionException ex) {
			String reason = this.executor.isShutdown() ? "the application is shutting down"
					: "the demo task queue is full";
			execution.recordNotRun("Not run: " + reason);
			throw new DemoTaskRejectedException(pending.id(), reason);
		}
		return pending;
	}

	/**
	 * Stop the demo tasks while the storage, which this bean depends on, is still open, so
	 * each records how it ended.
	 */
	@Override
	public void destroy() throws InterruptedException {
		for (Runnable queued : this.executor.shutdownNow()) {
			((DemoTaskExecution) queued).recordNotRun("Not run: the application shut down first");
		}
		if (!this.executor.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
			logger.warn("Demo tasks were still running " + SHUTDOWN_WAIT_SECONDS + "s after they were interrupted");
		}
	}

	private static Map<String, @Nullable Object> kwargs(DemoTask demoTask) {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("fail", demoTask.fail());
		kwargs.put("input", demoTask.input());
		return kwargs;
	}

}
