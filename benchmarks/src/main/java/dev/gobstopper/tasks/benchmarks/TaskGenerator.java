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
 * Realistic tasks, the same for every store: six categories, every status, a small
 * result, arguments and keyword arguments, UUID ids.
 * <p>
 * The loaded table spans 120 days in the order tasks were created. Its older half
 * finished more than {@link #RETENTION} ago, so cleanup deletes exactly that half; the
 * newer half holds every status, its finished tasks within the retention.
 */
final class TaskGenerator {

	/** The retention that cleanup is called with. */
	static final Duration RETENTION = Duration.ofDays(30);

	/** The category of the page workload. */
	static final String PAGE_CATEGORY = "email";

	/** The status of the page workload. */
	static final TaskStatus PAGE_STATUS = TaskStatus.SUCCESS;

	private static final String[] CATEGORIES = { "email", "reports", "billing", "media", "sync", "notifications" };

	private static final String[] ACTIONS = { "send", "render", "import", "export", "resize", "reconcile" };

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
		// the older half from 120 to 31 days ago, the newer one from 29 days ago to now
		Duration age = old ? Duration.ofDays(120).minus(Duration.ofDays(89).multipliedBy(index).dividedBy(halfSize))
				: Duration.ofDays(29).minus(Duration.ofDays(29).multipliedBy(index - half).dividedBy(halfSize));
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
		TaskInfo.Builder task = TaskInfo.builder()
			.id(id)
			.name(category + "." + ACTIONS[random.nextInt(ACTIONS.length)])
			.category(category)
			.priority(priority(random))
			.status(status)
			.createdAt(createdAt)
			.maxRetries(3)
			.args(List.of(random.nextInt(1_000_000), "user-" + random.nextInt(50_000)))
			.kwargs(kwargs(random));
		if (status == TaskStatus.PENDING) {
			return task.build();
		}
		Instant startedAt = createdAt.plusMillis(random.nextInt(2_000));
		task.startedAt(startedAt);
		if (status == TaskStatus.STARTED) {
			return task.progress(random.nextInt(100)).progressMessage("running").build();
		}
		if (status == TaskStatus.RETRY) {
			return task.retryCount(1 + random.nextInt(2)).error("ConnectionError: upstream timed out").build();
		}
		double elapsed = 0.05 + random.nextDouble() * 30;
		task.completedAt(startedAt.plusNanos((long) (elapsed * 1e9))).elapsedSeconds(elapsed);
		return switch (status) {
			case SUCCESS -> task.result(result(random.nextInt(100_000), category)).progress(100).progressMessage("done")
				.build();
			case FAILED -> task.retryCount(3).error("TimeoutError: gave up after 3 retries").build();
			default -> task.progressMessage("cancelled").build();
		};
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
