package dev.gobstopper.tasks.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;

/**
 * One instance of an application, in a JVM of its own, with a storage on the table named
 * by its first argument. It prints "ready", then runs the commands it reads, one a line,
 * and prints what each did:
 * <ul>
 * <li>{@code save <id> <version>}: "saved &lt;id&gt; &lt;version&gt;"</li>
 * <li>{@code get <id>}: "got &lt;id&gt; &lt;version&gt;", or "got &lt;id&gt; none"</li>
 * <li>{@code delete <id>}: "deleted &lt;id&gt; &lt;whether&gt;"</li>
 * <li>{@code write <prefix> <threads>}: saves from several threads until {@code stop}:
 * single saves of the thread's own tasks, batches of them, and updates of the task
 * "shared"; "ack &lt;id&gt; &lt;version&gt; end" once each save has returned, "stopped" once the
 * threads stopped</li>
 * <li>{@code cleanup <days>}: "cleaned &lt;count&gt;"</li>
 * <li>{@code claim <category> <threads>}: claims from several threads until none is left:
 * "claimed &lt;id&gt;" for each, then "claims done"</li>
 * <li>{@code exit}: closes the storage and exits</li>
 * </ul>
 * A failure prints "error" and the exception.
 */
final class StorageInstance {

	private static final Instant BASE = Instant.parse("2025-03-01T00:00:00Z");

	private static final TaskStatus[] LIFE = { TaskStatus.PENDING, TaskStatus.STARTED, TaskStatus.RETRY,
			TaskStatus.STARTED, TaskStatus.FAILED, TaskStatus.SUCCESS };

	private final JdbcTaskStorage storage;

	private final AtomicBoolean stop = new AtomicBoolean();

	private final List<Thread> writers = new ArrayList<>();

	private StorageInstance(JdbcTaskStorage storage) {
		this.storage = storage;
	}

	public static void main(String[] args) throws Exception {
		try (HikariDataSource pool = TestDatabase.connect(8, null);
				JdbcTaskStorage storage = JdbcTaskStorage.builder(pool).tableName(args[0]).build()) {
			StorageInstance instance = new StorageInstance(storage);
			print("ready");
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
				try {
					instance.run(line.split(" "));
				}
				catch (Exception ex) {
					print("error " + ex);
				}
			}
		}
	}

	private void run(String[] command) throws InterruptedException {
		switch (command[0]) {
			case "save" -> {
				this.storage.saveTask(task(command[1], Integer.parseInt(command[2])));
				print("saved " + command[1] + " " + command[2]);
			}
			case "get" -> {
				Optional<TaskInfo> task = this.storage.getTask(command[1]);
				print("got " + command[1] + " " + task.map((found) -> String.valueOf(found.retryCount())).orElse("none"));
			}
			case "delete" -> print("deleted " + command[1] + " " + this.storage.deleteTask(command[1]));
			case "write" -> {
				for (int t = 0; t < Integer.parseInt(command[2]); t++) {
					String prefix = command[1] + "-t" + t + "-";
					Thread writer = new Thread(() -> write(prefix), "writer-" + t);
					this.writers.add(writer);
					writer.start();
				}
			}
			case "stop" -> {
				this.stop.set(true);
				for (Thread writer : this.writers) {
					writer.join();
				}
				print("stopped");
			}
			case "cleanup" -> print("cleaned " + this.storage.cleanupOldTasks(Duration.ofDays(Long.parseLong(command[1]))));
			case "claim" -> claim(command[1], Integer.parseInt(command[2]));
			default -> print("error unknown command " + String.join(" ", command));
		}
	}

	/**
	 * Save until told to stop: in turn a new task of the thread's own, an update of one of
	 * them, a batch of new ones and of updates, and an update of the task every instance
	 * updates.
	 */
	private void write(String prefix) {
		List<Integer> versions = new ArrayList<>();
		try {
			for (long round = 0; !this.stop.get(); round++) {
				switch ((int) (round % 4)) {
					case 0 -> {
						versions.add(0);
						save(prefix + (versions.size() - 1), 0);
					}
					case 1 -> {
						int index = (int) (round % versions.size());
						versions.set(index, versions.get(index) + 1);
						save(prefix + index, versions.get(index));
					}
					case 2 -> {
						List<TaskInfo> batch = new ArrayList<>();
						for (int i = 0; i < 10; i++) {
							versions.add(0);
							batch.add(task(prefix + (versions.size() - 1), 0));
						}
						int index = (int) (round % versions.size());
						versions.set(index, versions.get(index) + 1);
						batch.add(task(prefix + index, versions.get(index)));
						this.storage.saveTasks(batch);
						batch.forEach((task) -> print("ack " + task.id() + " " + task.retryCount() + " end"));
					}
					default -> save("shared", (int) round);
				}
			}
		}
		catch (RuntimeException ex) {
			print("error " + ex);
		}
	}

	private void save(String id, int version) {
		this.storage.saveTask(task(id, version));
		print("ack " + id + " " + version + " end");
	}

	private void claim(String category, int threads) throws InterruptedException {
		List<Thread> claimers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			String worker = "worker-" + ProcessHandle.current().pid() + "-" + t;
			Thread claimer = new Thread(() -> {
				for (Optional<TaskInfo> next = claimNext(category, worker); next.isPresent(); next = claimNext(category,
						worker)) {
					print("claimed " + next.get().id());
				}
			});
			claimers.add(claimer);
			claimer.start();
		}
		for (Thread claimer : claimers) {
			claimer.join();
		}
		print("claims done");
	}

	private Optional<TaskInfo> claimNext(String category, String worker) {
		return this.storage.claimNext(category, worker, Duration.ofMinutes(10));
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
			.name("instance-test")
			.category("queue-" + (hash % 3))
			.status(status)
			.createdAt(createdAt)
			.startedAt((version > 0) ? createdAt.plusMillis(version) : null)
			.completedAt(status.isTerminal() ? createdAt.plusSeconds(version) : null)
			.elapsedSeconds(version * 0.25)
			.result(Map.of("id", id, "version", version))
			.retryCount(version)
			.args(List.of(id, version))
			.kwargs(Map.of("version", version))
			.progressMessage("version " + version)
			.build();
	}

	private static void print(String line) {
		synchronized (System.out) {
			System.out.println(line);
			System.out.flush();
		}
	}

}
