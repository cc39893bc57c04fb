package dev.gobstopper.tasks.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A save that runs out of disk space fails clearly, leaves no partial row, and the file
 * still opens. The limit is set with Linux's {@code prlimit}, and the child started
 * through {@code bash}.
 */
@Timeout(180)
@EnabledOnOs(OS.LINUX)
class DiskFullTests {

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	private static final long ROOM = 1024 * 1024;

	@TempDir
	Path dir;

	@Test
	void aSaveBeyondTheFileSizeLimitFailsClearlyAndLeavesNoPartialRow() throws Exception {
		Path file = this.dir.resolve("full.duckdb");
		Path wal = this.dir.resolve("full.duckdb.wal");
		List<String> lines;
		try (ChildJvm writer = ChildJvm.startIgnoringFileSizeSignal(this.dir, DiskFullWriter.class, file.toString())) {
			writer.awaitLine("ready"::equals, PATIENCE);
			// The limit is set once DuckDB has unpacked its native library, which is larger
			// than any file the test lets the process write
			long limit = Math.max(Files.size(file), Files.exists(wal) ? Files.size(wal) : 0) + ROOM;
			Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(writer.pid()),
					"--fsize=" + limit + ":" + limit).redirectErrorStream(true).start();
			assertThat(prlimit.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(prlimit.exitValue()).as(new String(prlimit.getInputStream().readAllBytes())).isZero();
			writer.send("go");
			int status = writer.awaitExit(PATIENCE);
			lines = writer.lines();
			String output = writer.output();
			assertThat(status).as(output).isZero();
			assertThat(lines).as(output).contains("closed");
			assertThat(output).as("the messages and logs of the failure").doesNotContain(DiskFullWriter.SECRET);
		}

		List<Integer> acknowledged = new ArrayList<>();
		int failed = -1;
		String failure = null;
		for (String line : lines) {
			String[] words = line.split(" ", 3);
			if (words[0].equals("ack") || words[0].equals("after-ack")) {
				acknowledged.add(Integer.parseInt(words[1]));
			}
			else if (words[0].equals("failed")) {
				failed = Integer.parseInt(words[1]);
				failure = words[2];
			}
			else if (words[0].equals("after-failed")) {
				assertThat(words[2]).as("a later save after the disk filled up")
					.matches("(" + TaskStorageException.class.getName() + "|java.lang.IllegalStateException) .+");
			}
		}
		assertThat(acknowledged).as("saves before the disk filled up").isNotEmpty();
		assertThat(failed).as("the save that failed").isPositive();
		assertThat(failure)
			.startsWith(TaskStorageException.class.getName() + " Task 'disk-" + failed + "' could not be saved: ");

		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:" + file))
			.build()) {
			for (int n : acknowledged) {
				assertThat(storage.getTask("disk-" + n)).as("acknowledged task %s", n).contains(DiskFullWriter.task(n));
			}
			Optional<TaskInfo> partial = storage.getTask("disk-" + failed);
			if (partial.isPresent()) {
				assertThat(partial.get()).as("the task whose save failed").isEqualTo(DiskFullWriter.task(failed));
			}
			List<TaskInfo> all = storage.getTasks(null, null, 10_000, 0);
			assertThat(all).hasSize(acknowledged.size() + (partial.isPresent() ? 1 : 0));
			for (TaskInfo task : all) {
				int n = Integer.parseInt(task.id().substring("disk-".length()));
				assertThat(task).isEqualTo(DiskFullWriter.task(n));
			}
		}
	}

}
