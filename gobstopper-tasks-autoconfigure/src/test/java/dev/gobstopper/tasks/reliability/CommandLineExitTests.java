package dev.gobstopper.tasks.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command-line application that adds the starter still exits by itself once its work is
 * done, and closes the storage on its way out.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@EnabledOnOs(OS.LINUX)
class CommandLineExitTests {

	/** A child JVM starting Spring Boot on a busy machine. */
	private static final Duration START_WITHIN = Duration.ofSeconds(90);

	private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	@Test
	void anApplicationWithNothingLeftToDoExitsAndLeavesItsFileMergedAndCheckpointed() throws Exception {
		Path file = this.dir.resolve("cli.duckdb");
		try (ChildJvm application = ChildJvm.start(this.dir, CommandLineApplication.class, file.toString())) {
			assertThat(application.awaitLine((line) -> line.startsWith("read "), START_WITHIN)).isEqualTo("read import");
			assertThat(application.awaitExit(EXIT_WITHIN)).as(application.output()).isZero();
		}
		assertThat(this.dir.resolve("cli.duckdb.wal")).as("DuckDB's write-ahead log, checkpointed at close")
			.doesNotExist();
		try (ChildJvm reader = ChildJvm.start(this.dir, DuckDbFileHolder.class, "journal", file.toString())) {
			assertThat(reader.awaitLine((line) -> line.startsWith("journal "), EXIT_WITHIN)).isEqualTo("journal 0");
			assertThat(reader.awaitExit(EXIT_WITHIN)).as(reader.output()).isZero();
		}
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:" + file))
			.build()) {
			assertThat(storage.getTask("cli-task")).map(TaskInfo::name).contains("import");
		}
	}

}
