package dev.gobstopper.tasks.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import dev.gobstopper.tasks.duckdb.MaintenancePause;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Saves tasks as {@link KilledWriter} does while a merge or a cleanup rebuild hangs at a
 * step of its own, until it is killed. It prints "inside &lt;step&gt;" once the step is in
 * progress. For a rebuild it first saves {@link #FILLERS} tasks that finished long before
 * the cleanup's cutoff, and then starts the cleanup; the writers' tasks finish after it.
 * <p>
 * Arguments: the db-path, the round (a prefix of the ids), the seed and the step, one of
 * {@code MERGE}, {@code REBUILD_COPIED} and {@code REBUILD_REPLACING}.
 */
final class KilledDuringMaintenance {

	static final int FILLERS = 12_000;

	/** Later than every filler's completion, earlier than every writer task's. */
	static final Instant CUTOFF = Instant.parse("2024-01-01T00:00:00Z");

	private KilledDuringMaintenance() {
	}

	public static void main(String[] args) throws Exception {
		String step = args[3];
		ConfigurableApplicationContext context = ReliabilityApplication.run(args[0]);
		DuckDbTaskStorage storage = context.getBean(DuckDbTaskStorage.class);
		boolean rebuild = step.startsWith("REBUILD");
		if (rebuild) {
			List<TaskInfo> fillers = new ArrayList<>();
			for (int i = 0; i < FILLERS; i++) {
				fillers.add(filler("filler-" + i));
			}
			storage.saveTasks(fillers);
		}
		MaintenancePause.hangAt(storage, step);
		System.out.println("ready");
		KilledWriter.startWriters(storage, args[1], Long.parseLong(args[2]));
		if (rebuild) {
			Thread cleanup = new Thread(() -> {
				int deleted = storage.cleanupOldTasks(Duration.between(CUTOFF, Instant.now()));
				System.out.println("cleanup returned " + deleted);
			}, "cleanup");
			cleanup.start();
		}
	}

	/**
	 * Return a task that finished long before the cutoff.
	 */
	static TaskInfo filler(String id) {
		Instant createdAt = Instant.parse("2020-01-01T00:00:00Z");
		return TaskInfo.builder()
			.id(id)
			.name("filler")
			.category("old")
			.status(TaskStatus.SUCCESS)
			.createdAt(createdAt)
			.completedAt(createdAt.plusSeconds(60))
			.result(List.of(id))
			.build();
	}

}
