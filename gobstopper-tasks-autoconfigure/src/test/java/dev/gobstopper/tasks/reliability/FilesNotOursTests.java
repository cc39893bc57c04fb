package dev.gobstopper.tasks.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
 * Starting an application on a db-path that is not a usable task database fails with a
 * report naming the path, and leaves the file as it was.
 */
@Timeout(180)
class FilesNotOursTests {

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

	@TempDir
	Path dir;

	@Test
	void startupFailsOnATextFileAndLeavesItAsItWas() throws Exception {
		Path file = this.dir.resolve("notes.duckdb");
		Files.writeString(file, "Shopping list\n- milk\n- a DuckDB book\n", StandardCharsets.UTF_8);
		FileState before = FileState.of(file);
		String output = failedStartup(file);
		assertThat(output).contains("'" + file + "' is not a DuckDB database");
		before.assertUnchanged();
	}

	@Test
	void startupFailsOnATruncatedDuckDbFileAndLeavesItAsItWas() throws Exception {
		Path whole = this.dir.resolve("whole.duckdb");
		DuckDBDataSource dataSource = new DuckDBDataSource("jdbc:duckdb:" + whole);
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(dataSource).build()) {
			List<TaskInfo> tasks = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				tasks.add(TaskInfo.builder().name("task " + i).category("reports").result(Map.of("rows", i)).build());
			}
			storage.saveTasks(tasks);
		}
		byte[] bytes = Files.readAllBytes(whole);
		Path file = this.dir.resolve("truncated.duckdb");
		Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
		FileState before = FileState.of(file);
		String output = failedStartup(file);
		assertThat(output).contains("'" + file + "' is not a DuckDB database, or is damaged");
		before.assertUnchanged();
	}

	@Test
	void startupFailsOnATasksTableOfAnotherShapeAndLeavesTheFileAsItWas() throws Exception {
		Path file = this.dir.resolve("todo.duckdb");
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title VARCHAR, done BOOLEAN)");
			statement.execute("INSERT INTO tasks VALUES (1, 'water the plants', false), (2, 'file taxes', true)");
		}
		FileState before = FileState.of(file);
		String output = failedStartup(file);
		assertThat(output).contains("Table 'tasks' in " + file + " is not a gobstopper-tasks table");
		before.assertUnchanged();
	}

	@Test
	void startupFailsNamingTheProcessThatHoldsTheFile() throws Exception {
		Path file = this.dir.resolve("busy.duckdb");
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE notes (line VARCHAR)");
		}
		try (ChildJvm holder = ChildJvm.start(this.dir, DuckDbFileHolder.class, "hold", file.toString())) {
			holder.awaitLine((line) -> line.startsWith("holding "), STARTUP);
			FileState before = FileState.of(file);
			String output = failedStartup(file);
			assertThat(output).contains("The task storage file '" + file + "' is locked by process " + holder.pid());
			before.assertUnchanged();
		}
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void startupFailsWhenTheFolderOfTheFileCannotBeCreated() throws Exception {
		// Tests may run as root, whom permission bits do not stop; /proc refuses everyone
		Path file = Path.of("/proc/self/gobstopper/tasks.duckdb");
		String output = failedStartup(file);
		assertThat(output).contains("The task storage file '" + file + "' cannot be created or opened");
		assertThat(file.getParent()).doesNotExist();
	}

	@Test
	void startupFailsWhenAParentOfTheFileIsARegularFile() throws Exception {
		Path parent = this.dir.resolve("not-a-folder");
		Files.writeString(parent, "a plain file", StandardCharsets.UTF_8);
		FileState before = FileState.of(parent);
		Path file = parent.resolve("tasks.duckdb");
		String output = failedStartup(file);
		assertThat(output).contains("The task storage file '" + file + "' cannot be created or opened");
		before.assertUnchanged();
	}

	/**
	 * Start the application on the file in a JVM of its own, and return its output after
	 * checking that startup failed with Spring Boot's failure report naming the path.
	 */
	private String failedStartup(Path file) throws InterruptedException {
		try (ChildJvm application = ChildJvm.start(this.dir, ReliabilityApplication.class, file.toString())) {
			int status = application.awaitExit(STARTUP);
			String output = application.output();
			assertThat(status).as(output).isEqualTo(1);
			assertThat(application.lines()).doesNotContain("started");
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("cause: dev.gobstopper.tasks")
				.contains(file.toString());
			return output;
		}
	}

	/**
	 * The bytes and modification time of a file, and whether a DuckDB write-ahead log lies
	 * beside it: one left behind would be replayed into the file at the next open.
	 */
	private record FileState(Path file, byte[] bytes, FileTime modified) {

		static FileState of(Path file) throws IOException {
			Files.setLastModifiedTime(file, LONG_AGO);
			return new FileState(file, Files.readAllBytes(file), Files.getLastModifiedTime(file));
		}

		void assertUnchanged() throws IOException {
			assertThat(Files.readAllBytes(this.file)).as("content of %s", this.file).isEqualTo(this.bytes);
			assertThat(Files.getLastModifiedTime(this.file)).as("modification time of %s", this.file)
				.isEqualTo(this.modified);
			assertThat(this.file.resolveSibling(this.file.getFileName() + ".wal")).doesNotExist();
		}

	}

}
