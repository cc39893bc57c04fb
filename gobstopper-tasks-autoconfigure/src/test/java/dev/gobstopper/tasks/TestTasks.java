package dev.gobstopper.tasks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Tasks for tests.
 */
public final class TestTasks {

	/** A fixed moment, so that creation times and their order are known in advance. */
	public static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456Z");

	/** Newest {@code createdAt} first, the order of {@link TaskStorage#getTasks}. */
	public static final Comparator<TaskInfo> NEWEST_FIRST = Comparator.comparing(TaskInfo::createdAt).reversed();

	private TestTasks() {
	}

	public static TaskInfo.Builder task(String id) {
		return TaskInfo.builder().id(id).name("send_email").category("email");
	}

	/**
	 * Return a task with every column set to a value other than its default.
	 */
	public static TaskInfo fullTask(String id) {
		return TaskInfo.builder()
			.id(id)
			.name("generate_report")
			.category("reports")
			.priority(TaskPriority.CRITICAL)
			.status(TaskStatus.FAILED)
			.createdAt(T0)
			.startedAt(T0.plusSeconds(1))
			.completedAt(T0.plus(3500, ChronoUnit.MILLIS))
			.elapsedSeconds(2.5)
			.result(List.of("partial", 7))
			.error("Timeout after 2.5 s")
			.retryCount(3)
			.maxRetries(5)
			.args(List.of("q3", 2025))
			.kwargs(Map.of("format", "pdf"))
			.progress(62.5)
			.progressMessage("rendering charts")
			.build();
	}

	/**
	 * Return a task with every column set to a value other than its default, the lease
	 * columns included.
	 */
	public static TaskInfo leasedTask(String id) {
		return fullTask(id).toBuilder()
			.status(TaskStatus.STARTED)
			.attempt(2)
			.maxAttempts(4)
			.idempotencyKey("key-" + id)
			.notBefore(T0.plusSeconds(10))
			.nextAttemptAt(T0.plusSeconds(20))
			.leaseOwner("worker-7")
			.leaseExpiresAt(T0.plusSeconds(330))
			.claimedAt(T0.plus(30, ChronoUnit.MICROS))
			.lastHeartbeatAt(T0.plusSeconds(30))
			.build();
	}

}
