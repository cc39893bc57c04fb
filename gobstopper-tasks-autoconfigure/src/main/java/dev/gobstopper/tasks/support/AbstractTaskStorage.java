package dev.gobstopper.tasks.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskLimits;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskSummary;
import dev.gobstopper.tasks.support.TaskStorageListener.ReadOperation;
import org.jspecify.annotations.Nullable;

/**
 * The base of every store: it checks the arguments of each call, takes "now" from the
 * store's clock, tells listeners what each call did, then hands the call to the store.
 * Stores implement the {@code do…} methods and see only arguments that passed, so that
 * the stores cannot disagree on what is valid.
 */
public abstract class AbstractTaskStorage implements TaskStorage {

	/** The most buckets {@link #completionsOverTime} returns. */
	public static final int MAX_BUCKETS = 10_000;

	private static final Duration SHORTEST_BUCKET = Duration.ofSeconds(1);

	private final Clock clock;

	private final List<TaskStorageListener> listeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable CleanupRun lastCleanup;

	protected AbstractTaskStorage(Clock clock) {
		this.clock = TaskArguments.requireNonNull("clock", clock);
	}

	/**
	 * Tell a listener of every later save, read and cleanup.
	 * @param listener the listener
	 */
	public void addListener(TaskStorageListener listener) {
		this.listeners.add(TaskArguments.requireNonNull("listener", listener));
	}

	/**
	 * Return the last cleanup this storage ran, if any.
	 * @return the last cleanup
	 */
	public Optional<CleanupRun> lastCleanup() {
		return Optional.ofNullable(this.lastCleanup);
	}

	/**
	 * Describe the store's own state, for health reports.
	 * @return the state
	 * @throws dev.gobstopper.tasks.TaskStorageException if the database cannot be reached
	 */
	public abstract StoreHealth health();

	/**
	 * Run a scheduled cleanup. A store shared by several instances runs it on one instance
	 * at a time and skips it on the others.
	 * @param retention how long to keep finished tasks
	 * @return the number of tasks deleted, or empty if another instance was running it
	 */
	public OptionalInt cleanupOnSchedule(Duration retention) {
		return OptionalInt.of(cleanupOldTasks(retention));
	}

	@Override
	public final void saveTask(TaskInfo task) {
		TaskArguments.requireNonNull("task", task);
		long start = System.nanoTime();
		try {
			doSaveTask(task);
		}
		catch (RuntimeException ex) {
			saved(1, start, ex);
			throw ex;
		}
		saved(1, start, null);
	}

	@Override
	public final void saveTasks(Collection<TaskInfo> tasks) {
		TaskArguments.requireNonNull("tasks", tasks);
		List<TaskInfo> checked = new ArrayList<>(tasks.size());
		int index = 0;
		for (TaskInfo task : tasks) {
			checked.add(TaskArguments.requireNonNull("tasks[" + index++ + "]", task));
		}
		if (checked.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		try {
			doSaveTasks(checked);
		}
		catch (RuntimeException ex) {
			saved(checked.size(), start, ex);
			throw ex;
		}
		saved(checked.size(), start, null);
	}

	@Override
	public final Optional<TaskInfo> getTask(String taskId) {
		TaskArguments.requireLookupId("taskId", taskId);
		if (neverStored(taskId)) {
			return Optional.empty();
		}
		long start = System.nanoTime();
		try {
			return doGetTask(taskId);
		}
		finally {
			read(ReadOperation.GET, start);
		}
	}

	@Override
	public final List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		checkPage(category, limit, offset);
		if (limit == 0 || neverStored(category)) {
			return List.of();
		}
		long start = System.nanoTime();
		try {
			return doGetTasks(category, status, limit, offset);
		}
		finally {
			read(ReadOperation.PAGE, start);
		}
	}

	@Override
	public final List<TaskSummary> getTaskSummaries(@Nullable String category, @Nullable TaskStatus status,
			int limit, int offset) {
		checkPage(category, limit, offset);
		if (limit == 0 || neverStored(category)) {
			return List.of();
		}
		long start = System.nanoTime();
		try {
			return doGetTaskSummaries(category, status, limit, offset);
		}
		finally {
			read(ReadOperation.PAGE, start);
		}
	}

	@Override
	public final List<TaskSummary> getOldestTaskSummaries(TaskStatus status, int limit) {
		TaskArguments.requireNonNull("status", status);
		TaskArguments.requireNotNegative("limit", limit);
		if (limit == 0) {
			return List.of();
		}
		long start = System.nanoTime();
		try {
			return doGetOldestTaskSummaries(status, limit);
		}
		finally {
			read(ReadOperation.PAGE, start);
		}
	}

	@Override
	public final int cleanupOldTasks(int days, int months, int years) {
		TaskArguments.requireNotNegative("days", days);
		TaskArguments.requireNotNegative("months", months);
		TaskArguments.requireNotNegative("years", years);
		return cleanupOldTasks(Duration.ofDays(days + 30L * months + 365L * years));
	}

	@Override
	public final int cleanupOldTasks(Duration retention) {
		TaskArguments.requireNonNull("retention", retention);
		if (retention.isNegative()) {
			throw new IllegalArgumentException("retention must not be negative, got " + retention);
		}
		Instant now = this.clock.instant();
		if (retention.isZero() || retention.compareTo(Duration.between(TaskArguments.EARLIEST, now)) >= 0) {
			return 0;
		}
		long start = System.nanoTime();
		try {
			int deleted = deleteCompletedBefore(roundUpToMicros(now.minus(retention)));
			cleanedUp(new CleanupRun(now, Duration.ofNanos(System.nanoTime() - start), deleted, null));
			return deleted;
		}
		catch (RuntimeException ex) {
			cleanedUp(new CleanupRun(now, Duration.ofNanos(System.nanoTime() - start), 0, String.valueOf(ex)));
			throw ex;
		}
	}

	@Override
	public final boolean deleteTask(String taskId) {
		TaskArguments.requireLookupId("taskId", taskId);
		return !neverStored(taskId) && doDeleteTask(taskId);
	}

	@Override
	public final Optional<TaskInfo> getTaskByIdempotencyKey(String idempotencyKey) {
		TaskArguments.requireLookupId("idempotencyKey", idempotencyKey);
		if (neverStored(idempotencyKey)) {
			return Optional.empty();
		}
		return doGetTaskByIdempotencyKey(idempotencyKey);
	}

	@Override
	public final TaskInfo saveTaskIfAbsent(TaskInfo task) {
		TaskArguments.requireNonNull("task", task);
		return doSaveTaskIfAbsent(task);
	}

	@Override
	public final Optional<TaskInfo> claimNext(String category, String workerId, Duration lease) {
		TaskArguments.requireKey("category", category);
		requireStorableWorkerId(workerId);
		Instant now = now();
		Instant leaseExpiresAt = leaseExpiry(now, lease);
		return neverStored(category) ? Optional.empty() : doClaimNext(category, workerId, now, leaseExpiresAt);
	}

	@Override
	public final boolean renewLease(String taskId, String workerId, Duration lease) {
		TaskArguments.requireKey("taskId", taskId);
		requireStorableWorkerId(workerId);
		Instant now = now();
		Instant leaseExpiresAt = leaseExpiry(now, lease);
		return !neverStored(taskId) && doRenewLease(taskId, workerId, now, leaseExpiresAt);
	}

	@Override
	public final int reclaimExpiredLeases(int limit) {
		TaskArguments.requireNotNegative("limit", limit);
		return (limit > 0) ? doReclaimExpiredLeases(now(), limit) : 0;
	}

	@Override
	public final TaskCounts countTasks(@Nullable String category) {
		if (category != null) {
			Text.requireWellFormed("category", category);
		}
		Map<TaskStatus, Long> byStatus = neverStored(category) ? Map.of() : doCountTasks(category);
		return new TaskCounts(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus);
	}

	@Override
	public final List<TaskNameStatistics> statisticsByName(Instant since) {
		TaskArguments.requireNonNull("since", since);
		if (since.isAfter(TaskArguments.LATEST)) {
			return List.of();
		}
		Instant from = since.isBefore(TaskArguments.EARLIEST) ? TaskArguments.EARLIEST : since;
		return doStatisticsByName(roundUpToMicros(from));
	}

	@Override
	public final List<TaskCompletionBucket> completionsOverTime(Instant since, Duration bucket,
			@Nullable String category) {
		TaskArguments.requireNonNull("since", since);
		TaskArguments.requireNonNull("bucket", bucket);
		if (category != null) {
			Text.requireWellFormed("category", category);
		}
		if (bucket.compareTo(SHORTEST_BUCKET) < 0) {
			throw new IllegalArgumentException("bucket must be at least one second, got " + bucket);
		}
		if (since.isAfter(TaskArguments.LATEST)) {
			return List.of();
		}
		long bucketMicros = micros(bucket);
		Instant from = since.isBefore(TaskArguments.EARLIEST) ? TaskArguments.EARLIEST : since;
		long first = Math.floorDiv(micros(from), bucketMicros);
		long last = Math.floorDiv(micros(this.clock.instant()), bucketMicros);
		if (first > last) {
			return List.of();
		}
		if (last - first >= MAX_BUCKETS) {
			throw new IllegalArgumentException("since " + since + " with a bucket of " + bucket + " spans "
					+ (last - first + 1) + " buckets, more than the limit of " + MAX_BUCKETS);
		}
		Map<Instant, TaskCompletionBucket> found = new TreeMap<>();
		if (!neverStored(category)) {
			for (TaskCompletionBucket counted : doCompletionsOverTime(roundUpToMicros(from),
					instant(Math.multiplyExact(last + 1, bucketMicros)), bucketMicros, category)) {
				found.put(counted.start(), counted);
			}
		}
		List<TaskCompletionBucket> buckets = new ArrayList<>((int) (last - first + 1));
		for (long index = first; index <= last; index++) {
			Instant start = instant(index * bucketMicros);
			buckets.add(found.getOrDefault(start, new TaskCompletionBucket(start, 0, 0, 0)));
		}
		return buckets;
	}

	/**
	 * Say why the store's database cannot hold a text, such as a character it refuses: a
	 * look-up of such a text finds nothing, and a worker id of it is refused.
	 * @param text the text
	 * @return why, or {@code null} if it can hold the text
	 */
	protected @Nullable String whyUnstorable(String text) {
		return null;
	}

	/**
	 * Return the current time of the store's clock, to the microsecond that the stores keep.
	 * @return now
	 */
	protected final Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	protected abstract void doSaveTask(TaskInfo task);

	/**
	 * Save a batch, all or nothing.
	 * @param tasks at least one task, none null
	 */
	protected abstract void doSaveTasks(List<TaskInfo> tasks);

	/**
	 * Return the task with an id short enough to be stored.
	 */
	protected abstract Optional<TaskInfo> doGetTask(String taskId);

	/**
	 * Return a page of tasks, with a positive limit.
	 */
	protected abstract List<TaskInfo> doGetTasks(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset);

	/**
	 * Return a page of summaries, with a positive limit.
	 */
	protected abstract List<TaskSummary> doGetTaskSummaries(@Nullable String category, @Nullable TaskStatus status,
			int limit, int offset);

	/**
	 * Return the oldest summaries in a status, with a positive limit.
	 */
	protected abstract List<TaskSummary> doGetOldestTaskSummaries(TaskStatus status, int limit);

	/**
	 * Delete finished tasks that completed before the cutoff, a whole microsecond after
	 * {@link TaskArguments#EARLIEST}.
	 * @return the number of tasks deleted
	 */
	protected abstract int deleteCompletedBefore(Instant cutoff);

	/**
	 * Delete the task with an id short enough to be stored.
	 */
	protected abstract boolean doDeleteTask(String taskId);

	/**
	 * Return the newest task with a key short enough to be stored.
	 */
	protected abstract Optional<TaskInfo> doGetTaskByIdempotencyKey(String idempotencyKey);

	protected abstract TaskInfo doSaveTaskIfAbsent(TaskInfo task);

	/**
	 * Claim the next ready task.
	 * @param now the time the claim is made, to the microsecond
	 * @param leaseExpiresAt when the lease runs out, after now
	 */
	protected abstract Optional<TaskInfo> doClaimNext(String category, String workerId, Instant now,
			Instant leaseExpiresAt);

	/**
	 * Renew a lease.
	 * @param now the time the lease is renewed, to the microsecond
	 * @param leaseExpiresAt when the lease runs out, after now
	 */
	protected abstract boolean doRenewLease(String taskId, String workerId, Instant now, Instant leaseExpiresAt);

	/**
	 * Reclaim at most a positive number of tasks whose lease expired before now.
	 */
	protected abstract int doReclaimExpiredLeases(Instant now, int limit);

	/**
	 * Count the tasks per status; statuses without tasks may be left out.
	 */
	protected abstract Map<TaskStatus, Long> doCountTasks(@Nullable String category);

	/**
	 * Describe the tasks created at or after a time, a whole microsecond, per name and
	 * category, the names with the most tasks first.
	 */
	protected abstract List<TaskNameStatistics> doStatisticsByName(Instant since);

	/**
	 * Count the tasks that finished in {@code [since, until)}, both whole microseconds, per
	 * bucket of their completion time, each bucket starting at a multiple of its length
	 * since the epoch. Buckets where no task finished may be left out.
	 * @param bucketMicros the length of a bucket, in microseconds
	 */
	protected abstract List<TaskCompletionBucket> doCompletionsOverTime(Instant since, Instant until,
			long bucketMicros, @Nullable String category);

	private static void checkPage(@Nullable String category, int limit, int offset) {
		TaskArguments.requireNotNegative("limit", limit);
		TaskArguments.requireNotNegative("offset", offset);
		if (category != null) {
			Text.requireWellFormed("category", category);
		}
	}

	/**
	 * Return whether no task can hold the text as its id, key or category; {@code null},
	 * any category, is not such a text.
	 */
	private boolean neverStored(@Nullable String text) {
		return text != null && (text.length() > TaskLimits.MAX_KEY_LENGTH || whyUnstorable(text) != null);
	}

	private void requireStorableWorkerId(String workerId) {
		TaskArguments.requireKey("workerId", workerId);
		String why = whyUnstorable(workerId);
		if (why != null) {
			throw new TaskFieldException("workerId", why);
		}
	}

	private Instant leaseExpiry(Instant now, Duration lease) {
		TaskArguments.requirePositive("lease", lease);
		// The last instant kept as the year 9999 is the nanosecond before the year 10000
		if (lease.compareTo(Duration.between(now, TaskArguments.LATEST.plusNanos(999))) > 0) {
			throw new IllegalArgumentException("lease must end before the year 10000, got " + lease);
		}
		return now.plus(lease).truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * Return the first instant of the stores' microseconds at or after the given one: a
	 * task's time, kept to the microsecond, is at or after the given instant if and only if
	 * it is at or after this one. Each database would round a finer instant its own way.
	 */
	private static Instant roundUpToMicros(Instant instant) {
		Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
		return truncated.equals(instant) ? truncated : truncated.plus(1, ChronoUnit.MICROS);
	}

	private static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
	}

	private static long micros(Duration duration) {
		try {
			return Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1_000);
		}
		catch (ArithmeticException ex) {
			throw new IllegalArgumentException("bucket is too long, got " + duration, ex);
		}
	}

	private static Instant instant(long micros) {
		return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
	}

	private void saved(int tasks, long start, @Nullable RuntimeException failure) {
		if (!this.listeners.isEmpty()) {
			long nanos = System.nanoTime() - start;
			this.listeners.forEach((listener) -> listener.saved(tasks, nanos, failure));
		}
	}

	private void read(ReadOperation operation, long start) {
		if (!this.listeners.isEmpty()) {
			long nanos = System.nanoTime() - start;
			this.listeners.forEach((listener) -> listener.read(operation, nanos));
		}
	}

	private void cleanedUp(CleanupRun run) {
		this.lastCleanup = run;
		this.listeners.forEach((listener) -> listener.cleanedUp(run));
	}

}
