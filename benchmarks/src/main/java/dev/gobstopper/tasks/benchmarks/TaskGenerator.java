package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * Realistic tasks, the same for every store: six categories, 36 task names, every status,
 * durations typical of each kind of work with a long tail, some retries, a small result,
 * arguments and keyword arguments, UUID ids.
 * <p>
 * The loaded table spans 120 days in the order tasks were created. Its older half
 * finished more than {@link #RETENTION} ago, so cleanup deletes exactly that half; the
 * newer half, the last 29 days, holds every status, its finished tasks within the
 * retention.
 */
final class TaskGenerator {

	/** The retention that cleanup is called with. */
	static final Duration RETENTION = Duration.ofDays(30);

	/** The category of the page workload. */
	static final String PAGE_CATEGORY = "email";

	/** The status of the page workload. */
	static final TaskStatus PAGE_STATUS = TaskStatus.SUCCESS;

	/** The categories of the queue workload. */
	static final List<String> QUEUE_CATEGORIES = List.of("email", "reports", "billing", "media");

	/** The category of the tasks with large results. */
	static final String LARGE_RESULT_CATEGORY = "exports";

	private static final String[] CATEGORIES = { "email", "reports", "billing", "media", "sync", "notifications" };

	private static final String[] ACTIONS = { "send", "render", "import", "export", "resize", "reconcile" };

	/** The age of the newest loaded task. */
	private static final Duration NEWEST = Duration.ofMinutes(15);

	/** The time over which the newer half of the loaded tasks was created. */
	private static final Duration NEWER_SPAN = Duration.ofDays(29).minus(NEWEST);

	/** The median duration of each action, in seconds. */
	private static final double[] TYPICAL_SECONDS = { 0.4, 6, 25, 12, 1.5, 40 };

	/** The longest duration, in seconds. */
	private static final double MAX_SECONDS = 600;

	private static final int MAX_RETRIES = 3;

	/** Text of about a kilobyte, ten of which make a large result. */
	private static final String KILOBYTE = "row,".repeat(255);

	private static final long SEED = 0x5EEDL;

	private final int tasks;

	private final Instant now;

	TaskGenerator(int tasks, Instant now) {
		this.tasks = tasks;
		this.now = now;
	}

	/**
	 * Return the id of the loaded task at the given index, without building the task.
	 */
	static String id(long index) {
		SplittableRandom random = random(index);
		return uuid(random);
	}

	/**
	 * Return the loaded tasks from {@code from} (inclusive) to {@code to} (exclusive), in
	 * the order they were created.
	 */
	List<TaskInfo> loaded(int from, int to) {
		List<TaskInfo> batch = new ArrayList<>(to - from);
		for (int index = from; index < to; index++) {
			batch.add(loaded(index));
		}
		return batch;
	}

	private TaskInfo loaded(int index) {
		SplittableRandom random = random(index);
		String id = uuid(random);
		int half = this.tasks / 2;
		boolean old = index < half;
		int halfSize = Math.max(half, 1);
		// the older half from 120 to 31 days ago, the newer one from 29 days ago to a quarter of an hour ago, so
		// that every loaded task finished before the load
		Duration age = old ? Duration.ofDays(120).minus(Duration.ofDays(89).multipliedBy(index).dividedBy(halfSize))
				: NEWEST.plus(NEWER_SPAN.minus(NEWER_SPAN.multipliedBy(index - half).dividedBy(halfSize)));
		TaskStatus status = old ? oldStatus(random) : recentStatus(random);
		return task(random, id, this.now.minus(age), status);
	}

	/**
	 * Return a new task, pending since now.
	 */
	static TaskInfo pending(SplittableRandom random) {
		return task(random, uuid(random), Instant.now(), TaskStatus.PENDING);
	}

	/**
	 * Return a new task of the given category, pending since a moment of the last hour.
	 */
	static TaskInfo queued(SplittableRandom random, String category) {
		Instant createdAt = Instant.now().minusMillis(random.nextLong(3_600_000));
		return task(random, uuid(random), createdAt, TaskStatus.PENDING).toBuilder()
			.category(category)
			.name(category + "." + ACTIONS[random.nextInt(ACTIONS.length)])
			.build();
	}

	/**
	 * Return a new task, pending since now, with the given idempotency key.
	 */
	static TaskInfo withIdempotencyKey(SplittableRandom random, String key) {
		return pending(random).toBuilder().idempotencyKey(key).build();
	}

	/**
	 * Return a task that succeeded a moment ago with a result of about 10 KB, as an
	 * export or a report returns.
	 */
	static TaskInfo withLargeResult(SplittableRandom random) {
		TaskInfo task = task(random, uuid(random), Instant.now().minusSeconds(60), TaskStatus.SUCCESS);
		List<String> rows = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			rows.add(KILOBYTE);
		}
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		result.put("rows", rows);
		result.put("output", "s3://tasks/exports/" + task.id() + ".csv");
		return task.toBuilder()
			.category(LARGE_RESULT_CATEGORY)
			.name(LARGE_RESULT_CATEGORY + ".export")
			.result(result)
			.build();
	}

	/**
	 * Return the task's next state: a pending task starts, a started one succeeds.
	 */
	static TaskInfo next(TaskInfo task) {
		Instant now = Instant.now();
		if (task.status() == TaskStatus.PENDING) {
			return task.toBuilder()
				.status(TaskStatus.STARTED)
				.startedAt(now)
				.progress(10)
				.progressMessage("running")
				.build();
		}
		Instant started = (task.startedAt() != null) ? task.startedAt() : now;
		return task.toBuilder()
			.status(TaskStatus.SUCCESS)
			.completedAt(now)
			.elapsedSeconds(Duration.between(started, now).toNanos() / 1e9)
			.result(result(task.id().hashCode() & 0xffff, task.category()))
			.progress(100)
			.progressMessage("done")
			.build();
	}

	private static TaskInfo task(SplittableRandom random, String id, Instant createdAt, TaskStatus status) {
		String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
		int action = random.nextInt(ACTIONS.length);
		TaskInfo.Builder task = TaskInfo.builder()
			.id(id)
			.name(category + "." + ACTIONS[action])
			.category(category)
			.priority(priority(random))
			.status(status)
			.createdAt(createdAt)
			.maxRetries(MAX_RETRIES)
			.maxAttempts(MAX_RETRIES + 1)
			.args(List.of(random.nextInt(1_000_000), "user-" + random.nextInt(50_000)))
			.kwargs(kwargs(random));
		if (status == TaskStatus.PENDING) {
			return task.build();
		}
		int retries = switch (status) {
			case FAILED -> MAX_RETRIES;
			case RETRY -> 1 + random.nextInt(2);
			default -> retriesOfSuccess(random);
		};
		Instant startedAt = createdAt.plusMillis(random.nextInt(2_000));
		task.startedAt(startedAt).retryCount(retries).attempt(retries + 1);
		if (status == TaskStatus.STARTED) {
			return task.progress(random.nextInt(100)).progressMessage("running").build();
		}
		if (status == TaskStatus.RETRY) {
			return task.error("ConnectionError: upstream timed out").build();
		}
		double elapsed = duration(random, action);
		task.completedAt(startedAt.plusNanos((long) (elapsed * 1e9))).elapsedSeconds(elapsed);
		return switch (status) {
			case SUCCESS -> task.result(result(random.nextInt(100_000), category)).progress(100).progressMessage("done")
				.build();
			case FAILED -> task.error("TimeoutError: gave up after 3 retries").build();
			default -> task.progressMessage("cancelled").build();
		};
	}

	/**
	 * Return how long a run of the action took: log-normal around its typical duration,
	 * with a long tail.
	 */
	private static double duration(SplittableRandom random, int action) {
		double seconds = TYPICAL_SECONDS[action] * Math.exp(0.8 * random.nextGaussian());
		return Math.min(Math.max(seconds, 0.01), MAX_SECONDS);
	}

	private static int retriesOfSuccess(SplittableRandom random) {
		int roll = random.nextInt(100);
		return (roll < 6) ? 1 : (roll < 8) ? 2 : 0;
	}

	private static TaskStatus oldStatus(SplittableRandom random) {
		int roll = random.nextInt(100);
		return (roll < 80) ? TaskStatus.SUCCESS : (roll < 95) ? TaskStatus.FAILED : TaskStatus.CANCELLED;
	}

	private static TaskStatus recentStatus(SplittableRandom random) {
		int roll = random.nextInt(100);
		if (roll < 15) {
			return TaskStatus.PENDING;
		}
		if (roll < 25) {
			return TaskStatus.STARTED;
		}
		if (roll < 30) {
			return TaskStatus.RETRY;
		}
		return (roll < 85) ? TaskStatus.SUCCESS : (roll < 95) ? TaskStatus.FAILED : TaskStatus.CANCELLED;
	}

	private static TaskPriority priority(SplittableRandom random) {
		int roll = random.nextInt(10);
		return (roll < 2) ? TaskPriority.LOW : (roll < 8) ? TaskPriority.NORMAL
				: (roll < 9) ? TaskPriority.HIGH : TaskPriority.CRITICAL;
	}

	private static Map<String, @Nullable Object> result(int processed, String category) {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		result.put("processed", processed);
		result.put("ok", true);
		result.put("output", "s3://tasks/" + category + "/" + processed + ".json");
		return result;
	}

	private static Map<String, @Nullable Object> kwargs(SplittableRandom random) {
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("tenant", "t-" + random.nextInt(200));
		kwargs.put("dry_run", random.nextInt(10) == 0);
		kwargs.put("batch_size", 100 * (1 + random.nextInt(10)));
		return kwargs;
	}

	private static SplittableRandom random(long index) {
		return new SplittableRandom(SEED + index * 0x9E3779B97F4A7C15L);
	}

	private static String uuid(SplittableRandom random) {
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
		return new UUID(high, low).toString();
	}

}
