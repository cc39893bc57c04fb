package dev.gobstopper.tasks.autoconfigure.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskSummary;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes the dashboard page reads: times as ISO-8601 text, durations in seconds,
 * statuses as their stored values.
 */
final class DashboardViews {

	private DashboardViews() {
	}

	static @Nullable String time(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	record Overview(String now, Counts counts, List<Hour> hours, List<NameStatistics> names,
			List<Summary> oldestPending) {

	}

	record Counts(long total, Map<String, Long> byStatus) {

		static Counts of(TaskCounts counts) {
			Map<String, Long> byStatus = new LinkedHashMap<>();
			for (TaskStatus status : TaskStatus.values()) {
				byStatus.put(status.value(), counts.count(status));
			}
			return new Counts(counts.total(), byStatus);
		}

	}

	record Hour(String start, long succeeded, long failed) {

		static Hour of(TaskCompletionBucket bucket) {
			return new Hour(bucket.start().toString(), bucket.succeeded(), bucket.failed());
		}

	}

	record NameStatistics(String name, String category, long total, long succeeded, long failed, long cancelled,
			double failureRate, double p50, double p95, double p99, double max) {

		static NameStatistics of(TaskNameStatistics statistics) {
			return new NameStatistics(statistics.name(), statistics.category(), statistics.total(),
					statistics.succeeded(), statistics.failed(), statistics.cancelled(), statistics.failureRate(),
					seconds(statistics.p50()), seconds(statistics.p95()), seconds(statistics.p99()),
					seconds(statistics.max()));
		}

	}

	record Summary(String id, String name, String category, String status, int priority, String createdAt,
			double elapsedSeconds, double progress) {

		static Summary of(TaskSummary task) {
			return new Summary(task.id(), task.name(), task.category(), task.status().value(),
					task.priority().value(), task.createdAt().toString(), task.elapsedSeconds(), task.progress());
		}

	}

	record Page(List<Summary> tasks, int offset, int limit, long total) {

	}

	/**
	 * Every field of a task; its JSON values indented and, like its error, cut to
	 * {@link ClippedText#LIMIT}.
	 */
	record Detail(String id, String name, String category, int priority, String status, String createdAt,
			@Nullable String startedAt, @Nullable String completedAt, double elapsedSeconds, ClippedText result,
			@Nullable ClippedText error, int retryCount, int maxRetries, ClippedText args, ClippedText kwargs,
			double progress, String progressMessage, int attempt, int maxAttempts, @Nullable String idempotencyKey,
			@Nullable String notBefore, @Nullable String nextAttemptAt, @Nullable String leaseOwner,
			@Nullable String leaseExpiresAt, @Nullable String claimedAt, @Nullable String lastHeartbeatAt) {

		static Detail of(TaskInfo task) {
			return new Detail(task.id(), task.name(), task.category(), task.priority().value(), task.status().value(),
					task.createdAt().toString(), time(task.startedAt()), time(task.completedAt()),
					task.elapsedSeconds(), json(task.result()), (task.error() != null) ? ClippedText.of(task.error()) : null,
					task.retryCount(), task.maxRetries(), json(task.args()), json(task.kwargs()), task.progress(),
					task.progressMessage(), task.attempt(), task.maxAttempts(), task.idempotencyKey(),
					time(task.notBefore()), time(task.nextAttemptAt()), task.leaseOwner(), time(task.leaseExpiresAt()),
					time(task.claimedAt()), time(task.lastHeartbeatAt()));
		}

		private static ClippedText json(@Nullable Object value) {
			return ClippedText.of(DashboardJson.pretty(value));
		}

	}

	record Problem(String error) {

	}

	record Cleanup(int deleted) {

	}

	record Deleted(boolean deleted) {

	}

}
