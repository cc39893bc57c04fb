package dev.gobstopper.tasks.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link TaskStorageFailureAnalyzer} on the failures of real application starts.
 */
class TaskStorageFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@Test
	void aFileLockedByAnotherProcessIsReportedWithItsPathAndTheHoldersPid() throws Exception {
		Path file = this.tempDir.resolve("tasks.duckdb");
		try (DuckDbChildProcess holder = DuckDbChildProcess.holdLock(file)) {
			FailureAnalysis analysis = analyzeStartupFailure(file);
			assertThat(analysis.getDescription()).contains("'" + file + "'")
				.contains("locked by process " + holder.pid() + " ");
			assertThat(analysis.getAction()).contains("Stop process " + holder.pid())
				.contains("gobstopper.tasks.db-path");
		}
	}

	@Test
	void aDbPathThatCannotBeCreatedIsReported() throws Exception {
		Path notAFolder = Files.writeString(this.tempDir.resolve("afile"), "a regular file");
		Path file = notAFolder.resolve("tasks.duckdb");
		FailureAnalysis analysis = analyzeStartupFailure(file);
		assertThat(analysis.getDescription()).contains("'" + file + "'").contains("cannot be created or opened");
		assertThat(analysis.getAction()).contains("gobstopper.tasks.db-path");
		assertThat(notAFolder).isRegularFile().hasContent("a regular file");
	}

	@Test
	void aFileThatIsNotADuckDbDatabaseIsReportedAndLeftUnchanged() throws Exception {
		Path file = Files.writeString(this.tempDir.resolve("tasks.duckdb"), "id,name\n1,not a database\n");
		byte[] content = Files.readAllBytes(file);
		FailureAnalysis analysis = analyzeStartupFailure(file);
		assertThat(analysis.getDescription()).contains("'" + file + "' is not a DuckDB database")
			.contains("left as it is");
		assertThat(analysis.getAction()).contains("gobstopper.tasks.db-path");
		assertThat(Files.readAllBytes(file)).isEqualTo(content);
	}

	@Test
	void aTaskTableOfAnotherShapeIsReportedAndTheFileLeftUnchanged() throws Exception {
		Path file = this.tempDir.resolve("tasks.duckdb");
		Properties options = new Properties();
		options.setProperty("storage_compatibility_version", "v1.0.0");
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, options);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, label VARCHAR)");
			statement.execute("INSERT INTO tasks VALUES (1, 'ours, not gobstopper''s')");
		}
		byte[] content = Files.readAllBytes(file);
		FailureAnalysis analysis = analyzeStartupFailure(file);
		assertThat(analysis.getDescription()).contains(file.toString())
			.contains("Table 'tasks'")
			.contains("is not a gobstopper-tasks table");
		assertThat(analysis.getAction()).contains("gobstopper.tasks.db-path").contains("gobstopper.tasks.table-name");
		assertThat(Files.readAllBytes(file)).isEqualTo(content);
		assertThat(tableNames(file)).containsExactly("tasks");
	}

	@Test
	void aStorageFormatDuckDbDoesNotKnowIsReportedAsASettingAndCreatesNoFile() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		List<FailureAnalysis> analyses = new ArrayList<>();
		this.contextRunner
			.withPropertyValues("gobstopper.tasks.db-path=" + file,
					"gobstopper.tasks.duckdb.storage-compatibility-version=v9.9.9")
			.run((context) -> {
				assertThat(context).hasFailed();
				analyses.add(analyzer(new StandardEnvironment()).analyze(context.getStartupFailure()));
			});
		assertThat(analyses).singleElement().satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("no storage format 'v9.9.9'").doesNotContain("damaged");
			assertThat(analysis.getAction()).contains("gobstopper.tasks.duckdb");
		});
		assertThat(file).doesNotExist();
	}

	@Test
	void aQualifiedDataSourceThatIsNotDuckDbIsReportedWithTheDriversClass() {
		List<FailureAnalysis> analyses = new ArrayList<>();
		this.contextRunner.withUserConfiguration(H2TaskDataSourceConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			analyses.add(analyzer(new StandardEnvironment()).analyze(context.getStartupFailure()));
		});
		assertThat(analyses).singleElement().satisfies((analysis) -> {
			assertThat(analysis.getDescription()).contains("needs a DuckDB data source").contains("org.h2");
			assertThat(analysis.getAction()).contains("gobstopper.tasks.store-type=jdbc");
		});
	}

	@Test
	void aStorageFailureThatApplicationCodeMeetsAfterTheStorageStartedIsNotReportedAsAStartupFailure() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		SpringApplication application = new SpringApplication(UnreadableTaskReader.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("gobstopper.tasks.db-path", file.toString(),
				"spring.main.banner-mode", "off", "spring.main.log-startup-info", "false"));
		Throwable failure = catchThrowable(application::run);
		assertThat(failure).isInstanceOf(TaskStorageException.class)
			.hasMessageContaining("'unreadable'")
			.hasMessageContaining("status");
		assertThat(analyzer(new StandardEnvironment()).analyze(failure)).isNull();
	}

	@Test
	void aFailureThatIsNotTheTaskStoragesIsLeftToOtherAnalyzers() {
		assertThat(analyzer(new StandardEnvironment()).analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void theAnalyzerIsRegisteredForSpringBootsFailureReport() {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, new StandardEnvironment()),
					FailureHandler.handleMessage((message, ex) -> {
					}));
		assertThat(analyzers).hasAtLeastOneElementOfType(TaskStorageFailureAnalyzer.class);
	}

	private FailureAnalysis analyzeStartupFailure(Path file) {
		List<FailureAnalysis> analyses = new ArrayList<>();
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=" + file).run((context) -> {
			assertThat(context).hasFailed();
			analyses.add(analyzer(new StandardEnvironment()).analyze(context.getStartupFailure()));
		});
		assertThat(analyses).hasSize(1).doesNotContainNull();
		return analyses.get(0);
	}

	private static TaskStorageFailureAnalyzer analyzer(Environment environment) {
		return new TaskStorageFailureAnalyzer(environment);
	}

	private static List<String> tableNames(Path file) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables")) {
			List<String> names = new ArrayList<>();
			while (rs.next()) {
				names.add(rs.getString(1));
			}
			return names;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class H2TaskDataSourceConfiguration {

		@Bean(defaultCandidate = false)
		@TaskStorageDataSource
		DataSource taskDataSource() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID());
			return dataSource;
		}

	}

	/**
	 * An application whose runner reads a task that another program stored with a status
	 * no task can have.
	 */
	@EnableAutoConfiguration
	static class UnreadableTaskReader {

		@Bean
		ApplicationRunner readUnreadableTask(TaskStorage storage, @TaskStorageDataSource DataSource dataSource) {
			return (arguments) -> {
				new JdbcTemplate(dataSource).update("INSERT INTO tasks (id, name, category, priority, status, "
						+ "created_at) VALUES ('unreadable', 'n', 'c', 2, 'bogus', now())");
				storage.getTask("unreadable");
			};
		}

	}

}
