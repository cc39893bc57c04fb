package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskSummary;
import org.jspecify.annotations.Nullable;

/**
 * A store of this project: every operation is the {@link TaskStorage}'s own.
 */
abstract class TaskStorageBench implements BenchStore {

	private final TaskStorage storage;

	protected TaskStorageBench(TaskStorage storage) {
		this.storage = storage;
	}

	@Override
	public void saveTask(TaskInfo task) {
		this.storage.saveTask(task);
	}

	@Override
	public void saveTasks(List<TaskInfo> tasks) {
		this.storage.saveTasks(tasks);
	}

	@Override
	public Optional<TaskInfo> getTask(String id) {
		return this.storage.getTask(id);
	}

	@Override
	public List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit, int offset) {
		return this.storage.getTasks(category, status, limit, offset);
	}

	@Override
	public List<TaskSummary> getTaskSummaries(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		return this.storage.getTaskSummaries(category, status, limit, offset);
	}

	@Override
	public boolean deleteTask(String id) {
		return this.storage.deleteTask(id);
	}

	@Override
	public int cleanupOldTasks(Duration retention) {
		return this.storage.cleanupOldTasks(retention);
	}

	@Override
	public TaskCounts countTasks(@Nullable String category) {
		return this.storage.countTasks(category);
	}

	@Override
	public List<TaskNameStatistics> statisticsByName(Instant since) {
		return this.storage.statisticsByName(since);
	}

	@Override
	public List<TaskCompletionBucket> completionsOverTime(Instant since, Duration bucket) {
		return this.storage.completionsOverTime(since, bucket, null);
	}

	@Override
	public TaskInfo saveTaskIfAbsent(TaskInfo task) {
		return this.storage.saveTaskIfAbsent(task);
	}

	@Override
	public Optional<TaskInfo> claimNext(String category, String workerId, Duration lease) {
		return this.storage.claimNext(category, workerId, lease);
	}

}
