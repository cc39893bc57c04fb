package dev.gobstopper.tasks.reliability;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Saves tasks through the auto-configured storage from several threads until it is
 * killed, printing "ack &lt;id&gt; &lt;version&gt; end" once each save has returned. Each thread
 * creates tasks and updates its own earlier ones; the content of every version of a task
 * is a function of its id and version, so the killing test knows what each
 * acknowledgement promised.
 * <p>
 * Arguments: the db-path, the round (a prefix of the ids) and the seed.
 */
final class KilledWriter {

	static final int THREADS = 4;

	private static final Instant BASE = Instant.parse("2025-03-01T00:00:00Z");

	private static final TaskStatus[] LIFE = { TaskStatus.PENDING, TaskStatus.STARTED, TaskStatus.RETRY,
			TaskStatus.STARTED, TaskStatus.FAILED, TaskStatus.SUCCESS, TaskStatus.CANCELLED };

	private KilledWriter() {
	}

	public static void main(String[] args) throws Exception {
		String round = args[1];
		long seed = Long.parseLong(args[2]);
		ConfigurableApplicationContext context = ReliabilityApplication.run(args[0]);
		TaskStorage storage = context.getBean(TaskStorage.class);
		System.out.println("ready");
		startWriters(storage, round, seed);
	}

	/**
	 * Start the threads that save until the process is killed.
	 */
	static void startWriters(TaskStorage storage, String round, long seed) {
		for (int t = 0; t < THREADS; t++) {
			String prefix = round + "-t" + t + "-";
			Random random = new Random(seed * 31 + t);
			Thread writer = new Thread(() -> write(storage, prefix, random), "writer-" + t);
			writer.start();
		}
	}

	private static void write(TaskStorage storage, String prefix, Random random) {
		List<String> ids = new ArrayList<>();
		List<Integer> versions = new ArrayList<>();
		while (true) {
			int index;
			if (ids.isEmpty() || random.nextInt(2) == 0) {
				ids.add(prefix + ids.size());
				versions.add(0);
				index = ids.size() - 1;
			}
			else {
				index = random.nextInt(ids.size());
				versions.set(index, versions.get(index) + 1);
			}
			String id = ids.get(index);
			int version = versions.get(index);
			try {
				storage.saveTask(task(id, version));
			}
			catch (RuntimeException ex) {
				System.out.println("error " + id + " " + version + " " + ex);
				return;
			}
			System.out.println("ack " + id + " " + version + " end");
		}
	}

	/**
	 * Return the given version of a task: every field depends on the id and the version.
	 */
	static TaskInfo task(String id, int version) {
		int hash = Math.floorMod(id.hashCode(), 1_000_000);
		Instant createdAt = BASE.plus(hash, ChronoUnit.MICROS);
		TaskStatus status = LIFE[version % LIFE.length];
		return TaskInfo.builder()
			.id(id)
			.name("kill-test")
			.category("queue-" + (hash % 5))
			.priority(TaskPriority.values()[hash % 4])
			.status(status)
			.createdAt(createdAt)
			.startedAt((version > 0) ? createdAt.plusMillis(version) : null)
			.completedAt(status.isTerminal() ? createdAt.plusSeconds(version) : null)
			.elapsedSeconds(version * 0.25)
			.result(Map.of("id", id, "version", version, "rows", List.of(hash, version, "row " + version)))
			.error((status == TaskStatus.FAILED) ? "failure of version " + version : null)
			.retryCount(version)
			.maxRetries(1_000_000)
			.args(List.of(id, version))
			.kwargs(Map.of("version", version, "nested", Map.of("hash", hash)))
			.progress(Math.min(100, version))
			.progressMessage("version " + version)
			.build();
	}

}
