package dev.gobstopper.tasks.sample;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;

/**
 * Tasks of every status for the dashboard's tests: finished ones spread over the last day,
 * failures with an error, and pending ones that have waited for minutes to days.
 */
final class DashboardTasks {

	static final String ERROR = "SMTP server timed out after 30 s\n\tat Mailer.send(Mailer.java:42)\n\tat SendEmail.run(SendEmail.java:17)";

	/** The finished tasks' completion times lie within these last hours, well inside the chart's 24. */
	static final int SPREAD_HOURS = 20;

	final List<TaskInfo> saved = new ArrayList<>();

	final int succeeded;

	final int failed;

	DashboardTasks(TaskStorage storage) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		int succeeded = 0;
		int failed = 0;
		for (int i = 0; i < 60; i++) {
			boolean fails = i % 5 == 3;
			String name = switch (i % 3) {
				case 0 -> "send_email";
				case 1 -> "render_report";
				default -> "sync_inventory";
			};
			String category = switch (i % 3) {
				case 0 -> "email";
				case 1 -> "reports";
				default -> "sync";
			};
			Instant completed = now.minus(Duration.ofMinutes(17L * i % (SPREAD_HOURS * 60)));
			double elapsed = 0.15 + (i % 7) * 0.8 + (fails ? 30 : 0);
			Instant started = completed.minusMillis((long) (elapsed * 1000));
			TaskInfo.Builder task = TaskInfo.builder()
				.name(name)
				.category(category)
				.priority(TaskPriority.values()[i % 4])
				.status(fails ? TaskStatus.FAILED : TaskStatus.SUCCESS)
				.createdAt(started.minusSeconds(2))
				.startedAt(started)
				.completedAt(completed)
				.elapsedSeconds(elapsed)
				.progress(fails ? 40 : 100)
				.args(List.of(i))
				.kwargs(Map.of("customer", "c-" + i));
			if (fails) {
				task.error(ERROR).progressMessage("step 2 of 5");
				failed++;
			}
			else {
				task.result(Map.of("sent", i, "items", List.of("a", "b")));
				succeeded++;
			}
			this.saved.add(task.build());
		}
		this.succeeded = succeeded;
		this.failed = failed;
		for (long minutes : new long[] { 3, 45, 180, 60 * 30 }) {
			this.saved.add(TaskInfo.builder()
				.name("render_report")
				.category("reports")
				.priority(TaskPriority.HIGH)
				.createdAt(now.minus(Duration.ofMinutes(minutes)))
				.kwargs(Map.of("report", "q" + minutes))
				.build());
		}
		for (int i = 0; i < 2; i++) {
			this.saved.add(TaskInfo.builder()
				.name("sync_inventory")
				.category("sync")
				.status(TaskStatus.STARTED)
				.createdAt(now.minusSeconds(90 + i))
				.startedAt(now.minusSeconds(60 + i))
				.progress(35 + 20 * i)
				.progressMessage("page " + (3 + i) + " of 8")
				.build());
		}
		this.saved.add(TaskInfo.builder()
			.name("send_email")
			.category("email")
			.status(TaskStatus.CANCELLED)
			.createdAt(now.minus(Duration.ofHours(30)))
			.completedAt(now.minus(Duration.ofHours(29)))
			.build());
		this.saved.add(TaskInfo.builder()
			.name("send_email")
			.category("email")
			.status(TaskStatus.RETRY)
			.createdAt(now.minusSeconds(400))
			.retryCount(1)
			.maxRetries(3)
			.error("Connection refused")
			.build());
		storage.saveTasks(this.saved);
	}

	TaskInfo firstFailed() {
		return this.saved.stream().filter((task) -> task.status() == TaskStatus.FAILED).findFirst().orElseThrow();
	}

}
