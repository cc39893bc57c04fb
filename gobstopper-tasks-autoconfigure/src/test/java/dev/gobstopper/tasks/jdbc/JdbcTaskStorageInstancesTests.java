package dev.gobstopper.tasks.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.reliability.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Several instances of an application, each a JVM of its own with its own storage on one
 * table: each sees what the others commit at once, they lose nothing when they write or
 * clean up together, a killed one takes no acknowledged save with it, and they never
 * claim a task twice.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JdbcTaskStorageInstancesTests {

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	@RegisterExtension
	final TestDatabase db = new TestDatabase();

	@TempDir
	Path dir;

	private final List<ChildJvm> instances = new ArrayList<>();

	@AfterEach
	void stopInstances() throws InterruptedException {
		for (ChildJvm instance : this.instances) {
			instance.close();
		}
	}

	@Test
	void aSaveOnOneInstanceIsReadAtOnceOnAnotherAndSoIsADelete() throws InterruptedException {
		List<ChildJvm> two = start(2);
		assertThat(reply(two.get(0), "save t-1 1", "saved ")).isEqualTo("saved t-1 1");
		assertThat(reply(two.get(1), "get t-1", "got ")).isEqualTo("got t-1 1");
		assertThat(reply(two.get(1), "save t-1 2", "saved ")).isEqualTo("saved t-1 2");
		assertThat(reply(two.get(0), "get t-1", "got ")).isEqualTo("got t-1 2");
		assertThat(reply(two.get(0), "delete t-1", "deleted ")).isEqualTo("deleted t-1 true");
		assertThat(reply(two.get(1), "get t-1", "got ")).isEqualTo("got t-1 none");
	}

	@Test
	void writersOnThreeInstancesLoseNothing() throws InterruptedException {
		List<ChildJvm> three = start(3);
		for (int i = 0; i < three.size(); i++) {
			three.get(i).send("write i" + i + " 3");
		}
		for (ChildJvm instance : three) {
			awaitAcks(instance, 300);
		}
		Map<String, Set<Integer>> acknowledged = new HashMap<>();
		for (ChildJvm instance : three) {
			reply(instance, "stop", "stopped");
			acknowledged(instance).forEach((id, versions) -> acknowledged.computeIfAbsent(id, (key) -> new HashSet<>())
				.addAll(versions));
		}
		try (JdbcTaskStorage storage = this.db.open()) {
			acknowledged.forEach((id, versions) -> {
				TaskInfo stored = storage.getTask(id).orElseThrow(() -> new AssertionError("lost " + id));
				if (id.equals("shared")) {
					assertThat(versions).contains(stored.retryCount());
				}
				else {
					// Only one thread writes each of these, so its last write is there
					assertThat(stored.retryCount()).as(id).isEqualTo(versions.stream().mapToInt(Integer::intValue).max().orElseThrow());
				}
				assertThat(stored).isEqualTo(StorageInstance.task(id, stored.retryCount()));
			});
		}
		assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isEqualTo(acknowledged.size());
	}

	@Test
	void killingAnInstanceUnderLoadLosesNoAcknowledgedSaveAndTheOthersCarryOn() throws InterruptedException {
		List<ChildJvm> three = start(3);
		for (int i = 0; i < three.size(); i++) {
			three.get(i).send("write k" + i + " 3");
		}
		for (ChildJvm instance : three) {
			awaitAcks(instance, 200);
		}
		ChildJvm killed = three.get(0);
		killed.kill(PATIENCE);
		Map<String, Set<Integer>> killedAcks = acknowledged(killed);
		for (ChildJvm survivor : three.subList(1, 3)) {
			awaitAcks(survivor, acks(survivor) + 200);
			reply(survivor, "stop", "stopped");
		}
		try (JdbcTaskStorage storage = this.db.open()) {
			killedAcks.forEach((id, versions) -> {
				TaskInfo stored = storage.getTask(id).orElseThrow(() -> new AssertionError("lost " + id));
				if (!id.equals("shared")) {
					int last = versions.stream().mapToInt(Integer::intValue).max().orElseThrow();
					// The instance may have committed one more version and been killed before
					// it said so
					assertThat(stored.retryCount()).as(id).isBetween(last, last + 1);
				}
			});
			for (ChildJvm survivor : three.subList(1, 3)) {
				acknowledged(survivor).forEach((id, versions) -> {
					TaskInfo stored = storage.getTask(id).orElseThrow(() -> new AssertionError("lost " + id));
					if (!id.equals("shared")) {
						assertThat(stored.retryCount()).as(id)
							.isEqualTo(versions.stream().mapToInt(Integer::intValue).max().orElseThrow());
					}
				});
			}
			for (TaskInfo stored : storage.getTasks(null, null, Integer.MAX_VALUE, 0)) {
				assertThat(stored).isEqualTo(StorageInstance.task(stored.id(), stored.retryCount()));
			}
		}
	}

	@Test
	void cleanupsRacingOnThreeInstancesDeleteEachOldTaskOnceAndTheirCountsAddUp() throws InterruptedException {
		int old = 36_000;
		try (JdbcTaskStorage storage = this.db.open()) {
			List<TaskInfo> tasks = new ArrayList<>();
			Instant now = Instant.now();
			for (int i = 0; i < old; i++) {
				tasks.add(task("old-" + i).status(TaskStatus.SUCCESS)
					.createdAt(now.minus(Duration.ofDays(41)))
					.completedAt(now.minus(Duration.ofDays(40)).minusSeconds(i))
					.build());
			}
			for (int i = 0; i < 2_000; i++) {
				tasks.add(task("recent-" + i).status(TaskStatus.FAILED)
					.createdAt(now.minus(Duration.ofDays(3)))
					.completedAt(now.minus(Duration.ofDays(2)))
					.build());
			}
			storage.saveTasks(tasks);
		}
		List<ChildJvm> three = start(3);
		three.forEach((instance) -> instance.send("cleanup 30"));
		int deleted = 0;
		for (ChildJvm instance : three) {
			deleted += Integer.parseInt(await(instance, "cleaned ").substring("cleaned ".length()));
		}
		assertThat(deleted).isEqualTo(old);
		assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isEqualTo(2_000);
	}

	@Test
	void claimersOnThreeInstancesTakeEachTaskOnce() throws InterruptedException {
		int tasks = 1_500;
		try (JdbcTaskStorage storage = this.db.open()) {
			List<TaskInfo> pending = new ArrayList<>();
			for (int i = 0; i < tasks; i++) {
				pending.add(task("queued-" + i).category("queue").createdAt(Instant.now().minusSeconds(i)).build());
			}
			storage.saveTasks(pending);
		}
		List<ChildJvm> three = start(3);
		three.forEach((instance) -> instance.send("claim queue 3"));
		List<String> claimed = new ArrayList<>();
		for (ChildJvm instance : three) {
			await(instance, "claims done");
			instance.lines()
				.stream()
				.filter((line) -> line.startsWith("claimed "))
				.forEach((line) -> claimed.add(line.substring("claimed ".length())));
		}
		assertThat(claimed).hasSize(tasks).doesNotHaveDuplicates();
		assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\" WHERE status = 'started'"))
			.isEqualTo(tasks);
	}

	/**
	 * Start instances together and wait until each is ready.
	 */
	private List<ChildJvm> start(int count) throws InterruptedException {
		List<ChildJvm> started = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ChildJvm instance = ChildJvm.start(this.dir, StorageInstance.class, this.db.table());
			this.instances.add(instance);
			started.add(instance);
		}
		for (ChildJvm instance : started) {
			await(instance, "ready");
		}
		return started;
	}

	private static String reply(ChildJvm instance, String command, String prefix) throws InterruptedException {
		instance.send(command);
		return await(instance, prefix);
	}

	/**
	 * Return the next line that starts with the prefix, failing on an error.
	 */
	private static String await(ChildJvm instance, String prefix) throws InterruptedException {
		String line = instance.awaitLine((candidate) -> candidate.startsWith(prefix) || candidate.startsWith("error"),
				PATIENCE);
		if (line.startsWith("error")) {
			fail("The instance failed: " + line + "\n" + instance.output());
		}
		return line;
	}

	private static void awaitAcks(ChildJvm instance, int count) throws InterruptedException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (acks(instance) < count) {
			if (System.nanoTime() > deadline) {
				fail("The instance acknowledged " + acks(instance) + " saves, not " + count + ", within " + PATIENCE
						+ ". Its output:\n" + instance.output());
			}
			Thread.sleep(50);
		}
	}

	private static int acks(ChildJvm instance) {
		return acknowledged(instance).values().stream().mapToInt(Set::size).sum();
	}

	/**
	 * Return the versions of each task whose save returned, from whole lines only: a line
	 * cut short by a kill promises nothing.
	 */
	private static Map<String, Set<Integer>> acknowledged(ChildJvm instance) {
		Map<String, Set<Integer>> acknowledged = new HashMap<>();
		for (String line : instance.lines()) {
			assertThat(line).as("the instance's output").doesNotStartWith("error");
			String[] words = line.split(" ");
			if (words.length == 4 && words[0].equals("ack") && words[3].equals("end")) {
				acknowledged.computeIfAbsent(words[1], (id) -> new HashSet<>()).add(Integer.parseInt(words[2]));
			}
		}
		return acknowledged;
	}

}
