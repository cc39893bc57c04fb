package dev.gobstopper.tasks.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import dev.gobstopper.tasks.jdbc.JdbcTaskStorage;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests for {@link TaskStorageAutoConfiguration} with {@code gobstopper.tasks.store-type=jdbc},
 * on the PostgreSQL server of this project's machines.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JdbcTaskStorageAutoConfigurationTests {

	private static final String URL = System.getenv()
		.getOrDefault("GOBSTOPPER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

	private final String table = "autoconfig_" + UUID.randomUUID().toString().replace("-", "");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, TaskStorageAutoConfiguration.class))
		.withPropertyValues("gobstopper.tasks.store-type=jdbc", "gobstopper.tasks.table-name=" + this.table);

	@TempDir
	Path tempDir;

	@AfterEach
	void dropTables() {
		execute("DROP TABLE IF EXISTS " + this.table, "DROP TABLE IF EXISTS flyway_" + this.table);
	}

	@Test
	void theStorageKeepsItsTasksInTheApplicationsDatabaseAndOpensNoDuckDbFile() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.contextRunner.withPropertyValues("spring.datasource.url=" + URL, "gobstopper.tasks.db-path=" + file)
			.run((context) -> {
				assertThat(context).getBean(TaskStorage.class).isInstanceOf(JdbcTaskStorage.class);
				assertThat(context).doesNotHaveBean(DuckDbDataSource.class);
				TaskInfo task = TaskInfo.builder().name("report").category("reports").build();
				context.getBean(TaskStorage.class).saveTask(task);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForObject("SELECT name FROM " + this.table + " WHERE id = ?", String.class, task.id()))
					.isEqualTo("report");
			});
		assertThat(file).doesNotExist();
	}

	@Test
	void aDataSourceQualifiedForTheTaskStorageIsUsedInsteadOfThePrimaryOne() {
		this.contextRunner.withUserConfiguration(QualifiedPostgresBesideH2Configuration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			TaskInfo task = TaskInfo.builder().name("qualified").category("reports").build();
			context.getBean(TaskStorage.class).saveTask(task);
			assertThat(countInPostgres("SELECT count(*) FROM " + this.table + " WHERE id = '" + task.id() + "'"))
				.isEqualTo(1);
		});
	}

	@Test
	void withoutADataSourceStartupFailsSayingWhatToAdd() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class))
			.withPropertyValues("gobstopper.tasks.store-type=jdbc")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure(), "jdbc");
				assertThat(analysis.getDescription()).contains("gobstopper.tasks.store-type is 'jdbc'")
					.contains("no DataSource");
				assertThat(analysis.getAction()).contains("spring-boot-starter-jdbc")
					.contains("spring.datasource.url")
					.contains("@TaskStorageDataSource");
			});
	}

	@Test
	void aDatabaseThatCannotBeReachedFailsStartupSayingToCheckTheConnectionNotTheTable() {
		this.contextRunner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/test?user=postgres",
					"spring.datasource.hikari.connection-timeout=250")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure(), "jdbc");
				assertThat(analysis.getDescription()).startsWith("Could not start the task storage: ")
					.contains("refused");
				assertThat(analysis.getAction()).contains("spring.datasource.url").doesNotContain("table");
			});
	}

	@Test
	void aUserThatMayNotCreateTheTableFailsStartupWithTheTablesActionNotTheConnections() {
		String role = "gobstopper_no_create_" + UUID.randomUUID().toString().replace("-", "");
		execute("CREATE ROLE " + role + " LOGIN");
		try {
			this.contextRunner.withPropertyValues("spring.datasource.url=" + URL.replaceFirst("user=[^&]*", "user=" + role))
				.run((context) -> {
					FailureAnalysis analysis = analyze(context.getStartupFailure(), "jdbc");
					assertThat(analysis.getDescription()).contains("permission denied");
					assertThat(analysis.getAction()).contains("initialize-schema").doesNotContain("spring.datasource.url");
				});
		}
		finally {
			execute("DROP ROLE " + role);
		}
	}

	@Test
	void aDatabaseOtherThanPostgresqlFailsStartupNamingTheProductFoundAndTheOnesSupported() {
		this.contextRunner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID())
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure(), "jdbc");
				assertThat(analysis.getDescription()).contains("H2").contains("PostgreSQL 13");
				assertThat(analysis.getAction()).contains("gobstopper.tasks.store-type");
			});
	}

	@Test
	void initializeSchemaNeverWithoutTheTableFailsStartupWithTheStatementsToRun() {
		this.contextRunner.withPropertyValues("spring.datasource.url=" + URL, "gobstopper.tasks.initialize-schema=never")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure(), "jdbc");
				assertThat(analysis.getDescription()).contains("CREATE TABLE").contains(this.table);
				assertThat(analysis.getAction()).contains("initialize-schema");
			});
	}

	@Test
	void flywayCreatesTheTableBeforeTheStorageStartsWhenInitializeSchemaIsNever() throws IOException {
		Path migrations = Files.createDirectories(this.tempDir.resolve("migrations"));
		Files.writeString(migrations.resolve("V1__task_table.sql"), schemaScript(), StandardCharsets.UTF_8);
		this.contextRunner.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + URL, "gobstopper.tasks.initialize-schema=never",
					"spring.flyway.locations=filesystem:" + migrations, "spring.flyway.table=flyway_" + this.table,
					// The shared test database holds other tests' tables, as an existing database does
					"spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TaskInfo task = TaskInfo.builder().name("migrated").category("reports").build();
				TaskStorage storage = context.getBean(TaskStorage.class);
				storage.saveTask(task);
				assertThat(storage.getTask(task.id())).contains(task);
				assertThat(countInPostgres("SELECT count(*) FROM flyway_" + this.table + " WHERE version = '1'"))
					.isEqualTo(1);
			});
	}

	@Test
	void threeInstancesOnOneTableSeeEachOthersSavesAtOnceAndLoseNothing() throws Exception {
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				instances.add(new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
					.properties("spring.datasource.url=" + URL, "gobstopper.tasks.store-type=jdbc",
							"gobstopper.tasks.table-name=" + this.table, "spring.main.banner-mode=off")
					.run());
			}
			List<TaskStorage> storages = instances.stream().map((context) -> context.getBean(TaskStorage.class)).toList();
			TaskInfo first = TaskInfo.builder().name("seen").category("instances").build();
			storages.get(0).saveTask(first);
			assertThat(storages.get(1).getTask(first.id())).contains(first);
			assertThat(storages.get(2).getTasks("instances", null)).containsExactly(first);
			storages.get(2).deleteTask(first.id());
			assertThat(storages.get(0).getTask(first.id())).isEmpty();
			Map<String, TaskInfo> acknowledged = saveConcurrently(storages);
			for (TaskStorage storage : storages) {
				for (TaskInfo task : acknowledged.values()) {
					assertThat(storage.getTask(task.id())).contains(task);
				}
			}
			TaskInfo shared = storages.get(0).getTask("shared").orElseThrow();
			assertThat(shared.status()).isEqualTo(TaskStatus.SUCCESS);
			assertThat(shared.progressMessage()).matches("instance [0-2] done");
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
		}
	}

	/**
	 * Save from two threads per instance: single saves, batches, and updates of one shared
	 * task, whose last state is a success written by one of the instances.
	 * @return the last state acknowledged of every task but the shared one
	 */
	private static Map<String, TaskInfo> saveConcurrently(List<TaskStorage> storages) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(storages.size() * 2);
		try {
			List<Future<List<TaskInfo>>> writers = new ArrayList<>();
			for (int i = 0; i < storages.size(); i++) {
				TaskStorage storage = storages.get(i);
				String instance = "instance " + i;
				writers.add(executor.submit(() -> {
					List<TaskInfo> saved = new ArrayList<>();
					for (int n = 0; n < 200; n++) {
						TaskInfo task = TaskInfo.builder().name("single").category(instance).build();
						storage.saveTask(task);
						saved.add(task);
						storage.saveTask(TaskInfo.builder()
							.id("shared")
							.name("shared")
							.category("instances")
							.status(TaskStatus.STARTED)
							.progressMessage(instance + " at " + n)
							.build());
					}
					storage.saveTask(TaskInfo.builder()
						.id("shared")
						.name("shared")
						.category("instances")
						.status(TaskStatus.SUCCESS)
						.progressMessage(instance + " done")
						.build());
					return saved;
				}));
				writers.add(executor.submit(() -> {
					List<TaskInfo> saved = new ArrayList<>();
					for (int n = 0; n < 20; n++) {
						List<TaskInfo> batch = new ArrayList<>();
						for (int t = 0; t < 50; t++) {
							batch.add(TaskInfo.builder().name("batched").category(instance).build());
						}
						storage.saveTasks(batch);
						saved.addAll(batch);
					}
					return saved;
				}));
			}
			Map<String, TaskInfo> acknowledged = new HashMap<>();
			for (Future<List<TaskInfo>> writer : writers) {
				writer.get(3, TimeUnit.MINUTES).forEach((task) -> acknowledged.put(task.id(), task));
			}
			assertThat(acknowledged).hasSize(storages.size() * (200 + 20 * 50));
			return acknowledged;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private String schemaScript() throws IOException {
		try (var in = JdbcTaskStorage.class.getResourceAsStream("schema-postgresql.sql")) {
			assertThat(in).as("the PostgreSQL schema script").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${table}", this.table);
		}
	}

	private static FailureAnalysis analyze(Throwable failure, String storeType) {
		assertThat(failure).isNotNull();
		Environment environment = new MockEnvironment().withProperty("gobstopper.tasks.store-type", storeType);
		FailureAnalysis analysis = new TaskStorageFailureAnalyzer(environment).analyze(failure);
		assertThat(analysis).as("the failure analysis of %s", failure).isNotNull();
		return analysis;
	}

	private static long countInPostgres(String query) {
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				var rs = statement.executeQuery(query)) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(query + ": " + ex.getMessage(), ex);
		}
	}

	private static void execute(String... statements) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	private static Connection connect() {
		try {
			return DriverManager.getConnection(URL);
		}
		catch (SQLException ex) {
			return fail("PostgreSQL is not reachable at " + URL + " (" + ex.getMessage() + "). Start it with: "
					+ "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
		}
	}

	/**
	 * One instance of an application that keeps its tasks in its PostgreSQL database.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, TaskStorageAutoConfiguration.class })
	static class Instance {

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedPostgresBesideH2Configuration {

		@Bean
		JdbcDataSource applicationDataSource() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
			return dataSource;
		}

		@Bean(defaultCandidate = false)
		@TaskStorageDataSource
		DataSource taskDataSource() {
			return new DriverManagerDataSource(URL);
		}

	}

}
