package dev.gobstopper.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * An application's own {@link TaskStorage}, kept in memory and not built on the starter's
 * base class: what tests of the starter's integrations learn about it comes through the
 * interface alone. It can be made unreachable, as a remote store can be.
 */
public class ApplicationTaskStorage implements TaskStorage {

	private final Map<String, TaskInfo> tasks = new ConcurrentHashMap<>();

	private final AtomicInteger oldestLookups = new AtomicInteger();

	private final AtomicInteger counts = new AtomicInteger();

	private final List<Duration> cleanups = new CopyOnWriteArrayList<>();

	private final List<Integer> reclaims = new CopyOnWriteArrayList<>();

	private volatile boolean unreachable;

	private volatile CountDownLatch lookupsReleased = new CountDownLatch(0);

	/**
	 * Make every later call fail as it would if the store could not be reached, or work
	 * again.
	 * @param unreachable whether the store is unreachable
	 */
	public void unreachable(boolean unreachable) {
		this.unreachable = unreachable;
	}

	/**
	 * Make later look-ups of the oldest tasks of a status, and counts of the tasks, wait
	 * until {@link #releaseLookups()}, as a slow query would.
	 */
	public void holdLookups() {
		this.lookupsReleased = new CountDownLatch(1);
	}

	/**
	 * Let the look-ups held by {@link #holdLookups()} go on.
	 */
	public void releaseLookups() {
		this.lookupsReleased.countDown();
	}

	/**
	 * Return how many times the oldest tasks of a status were looked up.
	 * @return the number of look-ups
	 */
	public int oldestLookups() {
		return this.oldestLookups.get();
	}

	/**
	 * Return how many times tasks were counted.
	 * @return the number of counts
	 */
	public int counts() {
		return this.counts.get();
	}

	/**
	 * Return the retentions of the cleanups run, in order.
	 * @return the retentions
	 */
	public List<Duration> cleanups() {
		return this.cleanups;
	}

	/**
	 * Return the limits of the reclaims of expired leases run, in order.
	 * @return the limits
	 */
	public List<Integer> reclaims() {
		return this.reclaims;
	}

	@Override
	public void saveTask(TaskInfo task) {
		reach();
		this.tasks.put(task.id(), task);
	}

	@Override
	public void saveTasks(Collection<TaskInfo> tasks) {
		tasks.forEach(this::saveTask);
	}

	@Override
	public Optional<TaskInfo> getTask(String taskId) {
		reach();
		return Optional.ofNullable(this.tasks.get(taskId));
	}

	@Override
	public List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit, int offset) {
		reach();
		return this.tasks.values()
			.stream()
			.filter((task) -> category == null || task.category().equals(category))
			.filter((task) -> status == null || task.status() == status)
			.sorted(Comparator.comparing(TaskInfo::createdAt).reversed())
			.skip(offset)
			.limit(limit)
			.toList();
	}

	@Override
	public int cleanupOldTasks(int days, int months, int years) {
		return cleanupOldTasks(Duration.ofDays(days + 30L * months + 365L * years));
	}

	@Override
	public int cleanupOldTasks(Duration retention) {
		this.cleanups.add(retention);
		reach();
		Instant cutoff = Instant.now().minus(retention);
		List<String> expired = this.tasks.values()
			.stream()
			.filter((task) -> task.status().isTerminal() && task.completedAt() != null
					&& task.completedAt().isBefore(cutoff))
			.map(TaskInfo::id)
			.toList();
		expired.forEach(this.tasks::remove);
		return expired.size();
	}

	@Override
	public boolean deleteTask(String taskId) {
		reach();
		return this.tasks.remove(taskId) != null;
	}

	@Override
	public TaskCounts countTasks(@Nullable String category) {
		this.counts.incrementAndGet();
		awaitRelease();
		reach();
		Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
		this.tasks.values()
			.stream()
			.filter((task) -> category == null || task.category().equals(category))
			.forEach((task) -> byStatus.merge(task.status(), 1L, Long::sum));
		return new TaskCounts(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus);
	}

	@Override
	public List<TaskSummary> getOldestTaskSummaries(TaskStatus status, int limit) {
		this.oldestLookups.incrementAndGet();
		awaitRelease();
		reach();
		return this.tasks.values()
			.stream()
			.filter((task) -> task.status() == status)
			.sorted(Comparator.comparing(TaskInfo::createdAt))
			.limit(limit)
			.map((task) -> new TaskSummary(task.id(), task.name(), task.category(), task.priority(), task.status(),
					task.createdAt(), task.elapsedSeconds(), task.progress()))
			.toList();
	}

	@Override
	public Optional<TaskInfo> getTaskByIdempotencyKey(String idempotencyKey) {
		throw new UnsupportedOperationException("Not used by these tests");
	}

	@Override
	public TaskInfo saveTaskIfAbsent(TaskInfo task) {
		throw new UnsupportedOperationException("Not used by these tests");
	}

	@Override
	public Optional<TaskInfo> claimNext(String category, String workerId, Duration lease) {
		throw new UnsupportedOperationException("Not used by these tests");
	}

	@Override
	public boolean renewLease(String taskId, String workerId, Duration lease) {
		throw new UnsupportedOperationException("Not used by these tests");
	}

	@Override
	public int reclaimExpiredLeases(int limit) {
		this.reclaims.add(limit);
		return 0;
	}

	@Override
	public List<TaskNameStatistics> statisticsByName(Instant since) {
		throw new UnsupportedOperationException("Not used by these tests");
	}

	@Override
	public List<TaskCompletionBucket> completionsOverTime(Instant since, Duration bucket, @Nullable String category) {
		throw new UnsupportedOperationException("Not used by these tests");
	}

	@Override
	public List<TaskSummary> getTaskSummaries(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		throw new UnsupportedOperationException("Not used by these tests");
	}

	private void awaitRelease() {
		try {
			this.lookupsReleased.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskStorageException("Interrupted while held", ex);
		}
	}

	private void reach() {
		if (this.unreachable) {
			throw new TaskStorageException("Could not reach the task store");
		}
	}

}
