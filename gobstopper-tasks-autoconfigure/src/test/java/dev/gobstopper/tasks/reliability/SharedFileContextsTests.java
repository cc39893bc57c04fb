package dev.gobstopper.tasks.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorage;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several application contexts of one JVM on one file, as a test run's context cache
 * keeps them: every context lists and reads every save that any of them acknowledged.
 */
class SharedFileContextsTests {

	private static final int CONTEXTS = 3;

	private static final int THREADS = 12;

	private static final int ROUNDS = 40;

	private static final String SHARED_ID = "shared";

	@TempDir
	Path dir;

	@RepeatedTest(3)
	void everyContextListsAndReadsEverySaveAcknowledgedByAnyOfThem() throws Exception {
		String dbPath = this.dir.resolve("tasks.duckdb").toString();
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		for (int i = 0; i < CONTEXTS; i++) {
			contexts.add(ReliabilityApplication.run(dbPath));
		}
		List<TaskStorage> storages = contexts.stream().map((context) -> context.getBean(TaskStorage.class)).toList();
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		List<String> problems = new ArrayList<>();
		AtomicBoolean sharedBusy = new AtomicBoolean();
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				futures.add(threads.submit(() -> {
					TaskStorage storage = storages.get(thread % CONTEXTS);
					TaskStorage reader = storages.get((thread + 1) % CONTEXTS);
					for (int round = 0; round < ROUNDS; round++) {
						String id = "t" + thread + "-" + round;
						if (round % 4 == 3) {
							List<TaskInfo> batch = List.of(task(id + "a").build(), task(id + "b").build());
							storage.saveTasks(batch);
							batch.forEach((saved) -> acknowledged.add(saved.id()));
						}
						else {
							storage.saveTask(task(id).build());
							acknowledged.add(id);
						}
						Set<String> before = Set.copyOf(acknowledged);
						Set<String> listed = ids(reader);
						if (!listed.containsAll(before)) {
							synchronized (problems) {
								problems.add("a listing missed " + missing(before, listed));
							}
						}
						if (round % 5 == 0 && sharedBusy.compareAndSet(false, true)) {
							try {
								updateSharedAndReadItEverywhere(storages, id, problems);
							}
							finally {
								sharedBusy.set(false);
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			threads.shutdown();
		}
		assertThat(problems).isEmpty();
		for (TaskStorage storage : storages) {
			assertThat(ids(storage)).containsAll(acknowledged);
			for (String id : acknowledged) {
				assertThat(storage.getTask(id)).isPresent();
			}
		}
		contexts.forEach(ConfigurableApplicationContext::close);
		assertThat(Path.of(dbPath + ".wal")).doesNotExist();
		try (ConfigurableApplicationContext restarted = ReliabilityApplication.run(dbPath)) {
			assertThat(ids(restarted.getBean(TaskStorage.class))).containsAll(acknowledged);
		}
		Files.delete(Path.of(dbPath));
	}

	private static void updateSharedAndReadItEverywhere(List<TaskStorage> storages, String message,
			List<String> problems) {
		storages.get(message.hashCode() & 1).saveTask(task(SHARED_ID).progressMessage(message).build());
		for (TaskStorage storage : storages) {
			String read = storage.getTask(SHARED_ID).map(TaskInfo::progressMessage).orElse(null);
			if (!message.equals(read)) {
				synchronized (problems) {
					problems.add("read '" + read + "' of the shared task after '" + message + "' was saved");
				}
			}
		}
	}

	private static Set<String> ids(TaskStorage storage) {
		return storage.getTasks(null, null, 100_000, 0).stream().map(TaskInfo::id).collect(Collectors.toSet());
	}

	private static Set<String> missing(Set<String> expected, Set<String> listed) {
		return expected.stream().filter((id) -> !listed.contains(id)).limit(5).collect(Collectors.toSet());
	}

}
