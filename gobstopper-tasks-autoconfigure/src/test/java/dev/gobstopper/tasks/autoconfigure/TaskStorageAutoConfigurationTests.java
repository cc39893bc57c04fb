package dev.gobstopper.tasks.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.gobstopper.tasks.ApplicationTaskStorage;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import dev.gobstopper.tasks.duckdb.StorageCacheSize;
import org.duckdb.DuckDBDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link TaskStorageAutoConfiguration}.
 */
class TaskStorageAutoConfigurationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class,
				TaskStorageSchedulingAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@Test
	void withDefaultsADuckDbTaskStorageAndItsDataSourceAreConfigured() {
		this.contextRunner.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb"))).run((context) -> {
			assertThat(context).hasSingleBean(TaskStorage.class);
			assertThat(context).getBean(TaskStorage.class).isInstanceOf(DuckDbTaskStorage.class);
			assertThat(context).hasSingleBean(DuckDbDataSource.class);
			assertThat(context).hasSingleBean(TaskStorageCleanup.class);
		});
	}

	@Test
	void theDatabaseFileIsCreatedAtDbPathWithItsMissingFolders() {
		Path file = this.tempDir.resolve("data").resolve("tasks").resolve("tasks.duckdb");
		this.contextRunner.withPropertyValues(dbPath(file)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(file).isRegularFile();
			assertThat(databasePath(context.getBean(DuckDbDataSource.class))).isEqualTo(file.toString());
		});
	}

	@Test
	void theAutoConfiguredStorageSavesAndReadsTasks() {
		TaskInfo task = task("send-mail", "mail").build();
		this.contextRunner.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb"))).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			storage.saveTask(task);
			assertThat(storage.getTask(task.id())).contains(task);
			assertThat(storage.getTasks("mail", TaskStatus.PENDING)).containsExactly(task);
		});
	}

	@Test
	void byDefaultDuckDbUsesOneThreadAnd256MegabytesOfMemory() {
		this.contextRunner.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb"))).run((context) -> {
			JdbcTemplate duckDb = new JdbcTemplate(context.getBean(DuckDbDataSource.class));
			assertThat(duckDb.queryForObject("SELECT current_setting('threads')", Long.class)).isEqualTo(1);
			assertThat(duckDb.queryForObject("SELECT current_setting('memory_limit')", String.class))
				.isEqualTo("256.0 MiB");
		});
	}

	@Test
	void defaultsOfThePropertiesAreTheDocumentedOnes() {
		TaskStorageProperties properties = new TaskStorageProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getStoreType()).isEqualTo(TaskStorageProperties.StoreType.DUCKDB);
		assertThat(properties.getDbPath()).isEqualTo("gobstopper_tasks.duckdb");
		assertThat(properties.getTableName()).isEqualTo("tasks");
		assertThat(properties.getInitializeSchema()).isEqualTo(TaskStorageProperties.InitializeSchema.ALWAYS);
		assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.getCleanup().isEnabled()).isTrue();
		assertThat(properties.getCleanup().getCron()).isEqualTo("0 0 3 * * *");
		assertThat(properties.getCleanup().getRetention()).isEqualTo(Duration.ofDays(30));
		assertThat(properties.getLeases().getReclaimInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.getLeases().getReclaimBatch()).isEqualTo(1000);
		assertThat(properties.getDuckdb().getMemoryLimit()).isEqualTo(DataSize.ofMegabytes(256));
		assertThat(properties.getDuckdb().getThreads()).isEqualTo(1);
		assertThat(properties.getDuckdb().getStorageCompatibilityVersion()).isEqualTo("v1.0.0");
		assertThat(properties.getDuckdb().getCacheSize()).isEqualTo(DataSize.ofMegabytes(64));
	}

	@Test
	void anInMemoryDbPathStoresTasksWithoutAFile() throws IOException {
		Path workingDirectory = Path.of("").toAbsolutePath();
		List<Path> before = list(workingDirectory);
		TaskInfo task = task("index", "search").build();
		this.contextRunner.withPropertyValues("gobstopper.tasks.db-path=:memory:").run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			storage.saveTask(task);
			assertThat(storage.getTask(task.id())).contains(task);
			assertThat(databasePath(context.getBean(DuckDbDataSource.class))).isNull();
		});
		assertThat(list(workingDirectory)).isEqualTo(before);
	}

	@Test
	void tasksSurviveARestartOnTheSameDbPath() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		TaskInfo task = task("report", "reports").status(TaskStatus.SUCCESS)
			.completedAt(Instant.now())
			.result(Map.of("pages", 3))
			.build();
		this.contextRunner.withPropertyValues(dbPath(file))
			.run((context) -> context.getBean(TaskStorage.class).saveTask(task));
		this.contextRunner.withPropertyValues(dbPath(file))
			.run((context) -> assertThat(context.getBean(TaskStorage.class).getTask(task.id())).contains(task));
	}

	@Test
	void aCustomTableNameIsUsedForTheTaskTableAndItsJournal() {
		TaskInfo task = task("resize", "images").build();
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.table-name=job_records")
			.run((context) -> {
				TaskStorage storage = context.getBean(TaskStorage.class);
				storage.saveTask(task);
				assertThat(storage.getTask(task.id())).contains(task);
				JdbcTemplate duckDb = new JdbcTemplate(context.getBean(DuckDbDataSource.class));
				assertThat(tableNames(duckDb)).containsExactlyInAnyOrder("job_records", "job_records_journal");
				awaitTrue("the task is merged into job_records", () -> duckDb
					.queryForObject("SELECT count(*) FROM job_records WHERE id = ?", Integer.class, task.id()) == 1);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "tasks; drop", "1abc", "tasks\"", "my-tasks" })
	void aTableNameThatIsNotAPlainIdentifierFailsStartupNamingTheProperty(String tableName) {
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.table-name=" + tableName)
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidConfigurationPropertyValueException failure = causeOf(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure).isNotNull();
				assertThat(failure.getName()).isEqualTo("gobstopper.tasks.table-name");
				assertThat(failure.getValue()).isEqualTo(tableName);
				assertThat(failure.getMessage()).contains("gobstopper.tasks.table-name");
			});
	}

	@Test
	void initializeSchemaNeverWithoutTablesFailsStartupWithTheStatementsToRun() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.contextRunner.withPropertyValues(dbPath(file), "gobstopper.tasks.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasFailed();
				TaskStorageException failure = causeOf(context.getStartupFailure(), TaskStorageException.class);
				assertThat(failure).isNotNull();
				assertThat(failure.getMessage()).contains(file.toString())
					.contains("initialize-schema is 'never'")
					.contains("CREATE TABLE IF NOT EXISTS \"tasks\"")
					.contains("CREATE TABLE IF NOT EXISTS \"tasks_journal\"");
			});
		assertThat(tableNamesInFile(file)).isEmpty();
	}

	@Test
	void initializeSchemaNeverWithExistingTablesStarts() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		TaskInfo task = task("thumbnail", "images").build();
		this.contextRunner.withPropertyValues(dbPath(file)).run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withPropertyValues(dbPath(file), "gobstopper.tasks.initialize-schema=never")
			.run((context) -> {
				TaskStorage storage = context.getBean(TaskStorage.class);
				storage.saveTask(task);
				assertThat(storage.getTask(task.id())).contains(task);
			});
	}

	@Test
	void cleanupIsScheduledOnTheDefaultCron() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")))
			.run((context) -> assertThat(cronExpressions(context)).containsExactly("0 0 3 * * *"));
	}

	@Test
	void cleanupIsScheduledOnTheConfiguredCron() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")),
					"gobstopper.tasks.cleanup.cron=0 30 1 * * SUN")
			.run((context) -> assertThat(cronExpressions(context)).containsExactly("0 30 1 * * SUN"));
	}

	@Test
	void aCleanupCronOfADashSchedulesNoCleanup() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.cleanup.cron=-")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(cronExpressions(context)).isEmpty();
			});
	}

	@Test
	void whenCleanupIsDisabledNoCleanupIsConfigured() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.cleanup.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskStorage.class);
				assertThat(context).doesNotHaveBean(TaskStorageCleanup.class);
				assertThat(cronExpressions(context)).isEmpty();
			});
	}

	@Test
	void duckDbThreadsAndMemoryLimitAreApplied() {
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.duckdb.threads=2",
					"gobstopper.tasks.duckdb.memory-limit=64MB")
			.run((context) -> {
				JdbcTemplate duckDb = new JdbcTemplate(context.getBean(DuckDbDataSource.class));
				assertThat(duckDb.queryForObject("SELECT current_setting('threads')", Long.class)).isEqualTo(2);
				assertThat(duckDb.queryForObject("SELECT current_setting('memory_limit')", String.class))
					.isEqualTo("64.0 MiB");
			});
	}

	@Test
	void theCacheSizeIsAppliedToTheStorage() {
		this.contextRunner.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb"))).run((context) -> {
			assertThat(StorageCacheSize.of(context.getBean(DuckDbTaskStorage.class)))
				.isEqualTo(DataSize.ofMegabytes(64).toBytes());
		});
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("other.duckdb")), "gobstopper.tasks.duckdb.cache-size=3MB")
			.run((context) -> assertThat(StorageCacheSize.of(context.getBean(DuckDbTaskStorage.class)))
				.isEqualTo(DataSize.ofMegabytes(3).toBytes()));
	}

	@Test
	void aCacheSizeOfZeroKeepsNoTasksInMemory() {
		TaskInfo task = task("uncached", "mail").build();
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.duckdb.cache-size=0")
			.run((context) -> {
				DuckDbTaskStorage storage = context.getBean(DuckDbTaskStorage.class);
				assertThat(StorageCacheSize.of(storage)).isZero();
				storage.saveTask(task);
				assertThat(storage.getTask(task.id())).contains(task);
			});
	}

	@Test
	void aNegativeCacheSizeFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.duckdb.cache-size=-1MB")
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = causeOf(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure).isNotNull();
				assertThat(failure.getName()).isEqualTo("gobstopper.tasks.duckdb.cache-size");
			});
	}

	@Test
	void zeroDuckDbThreadsFailStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.duckdb.threads=0")
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = causeOf(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure).isNotNull();
				assertThat(failure.getName()).isEqualTo("gobstopper.tasks.duckdb.threads");
			});
	}

	@Test
	void aZeroMemoryLimitFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")), "gobstopper.tasks.duckdb.memory-limit=0")
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = causeOf(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure).isNotNull();
				assertThat(failure.getName()).isEqualTo("gobstopper.tasks.duckdb.memory-limit");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "0s", "-5s" })
	void aShutdownTimeoutThatIsNotPositiveFailsStartupNamingTheProperty(String timeout) {
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")),
					"gobstopper.tasks.shutdown-timeout=" + timeout)
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = causeOf(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure).isNotNull();
				assertThat(failure.getName()).isEqualTo("gobstopper.tasks.shutdown-timeout");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "0s", "-1d" })
	void aCleanupRetentionThatIsNotPositiveFailsStartupNamingTheProperty(String retention) {
		this.contextRunner
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")),
					"gobstopper.tasks.cleanup.retention=" + retention)
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = causeOf(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure).isNotNull();
				assertThat(failure.getName()).isEqualTo("gobstopper.tasks.cleanup.retention");
			});
	}

	@Test
	void aTableNameDifferingInCaseFromATableOfAnotherShapeFailsStartup() throws Exception {
		Path file = this.tempDir.resolve("tasks.duckdb");
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title VARCHAR)");
		}
		this.contextRunner.withPropertyValues(dbPath(file), "gobstopper.tasks.table-name=Tasks").run((context) -> {
			TaskStorageException failure = causeOf(context.getStartupFailure(), TaskStorageException.class);
			assertThat(failure).isNotNull();
			assertThat(failure.getMessage()).contains("is not a gobstopper-tasks table");
		});
	}

	@Test
	void anotherQualifiedBeanThatIsNotADataSourceLeavesTheAutoConfiguredDataSourceInPlace() {
		this.contextRunner.withUserConfiguration(QualifiedJdbcTemplateConfiguration.class)
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(DuckDbDataSource.class);
				JdbcTemplate tasksDb = context.getBean("tasksJdbcTemplate", JdbcTemplate.class);
				TaskInfo task = task("audit", "misc").build();
				context.getBean(TaskStorage.class).saveTask(task);
				awaitTrue("the task can be queried through the qualified template", () -> tasksDb
					.queryForObject("SELECT count(*) FROM tasks WHERE id = ?", Integer.class, task.id()) == 1);
			});
	}

	@Test
	void aNonDefaultStorageCompatibilityVersionIsAccepted() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		TaskInfo task = task("export", "reports").build();
		this.contextRunner
			.withPropertyValues(dbPath(file), "gobstopper.tasks.duckdb.storage-compatibility-version=latest")
			.run((context) -> {
				TaskStorage storage = context.getBean(TaskStorage.class);
				storage.saveTask(task);
				assertThat(storage.getTask(task.id())).contains(task);
				assertThat(file).isRegularFile();
			});
	}

	@Test
	void anExistingFileOpensWhateverStorageCompatibilityVersionIsConfigured() {
		Path createdWithDefault = this.tempDir.resolve("default.duckdb");
		Path createdWithLatest = this.tempDir.resolve("latest.duckdb");
		TaskInfo first = task("export", "reports").build();
		TaskInfo second = task("import", "reports").build();
		this.contextRunner.withPropertyValues(dbPath(createdWithDefault))
			.run((context) -> context.getBean(TaskStorage.class).saveTask(first));
		this.contextRunner
			.withPropertyValues(dbPath(createdWithLatest), "gobstopper.tasks.duckdb.storage-compatibility-version=latest")
			.run((context) -> context.getBean(TaskStorage.class).saveTask(second));
		this.contextRunner
			.withPropertyValues(dbPath(createdWithDefault), "gobstopper.tasks.duckdb.storage-compatibility-version=latest")
			.run((context) -> assertThat(context.getBean(TaskStorage.class).getTask(first.id())).contains(first));
		this.contextRunner.withPropertyValues(dbPath(createdWithLatest))
			.run((context) -> assertThat(context.getBean(TaskStorage.class).getTask(second.id())).contains(second));
	}

	@Test
	void whenDisabledThereIsNoStorageNoDataSourceAndNoFile() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.contextRunner.withPropertyValues(dbPath(file), "gobstopper.tasks.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(TaskStorage.class);
			assertThat(context).doesNotHaveBean(DataSource.class);
			assertThat(context).doesNotHaveBean(TaskStorageCleanup.class);
		});
		assertThat(file).doesNotExist();
		assertThat(this.tempDir).isEmptyDirectory();
	}

	@Test
	void whenTheApplicationDefinesItsOwnTaskStorageTheAutoConfiguredStorageAndDataSourceBackOff() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues(dbPath(file))
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskStorage.class);
				assertThat(context).getBean(TaskStorage.class).isInstanceOf(ApplicationTaskStorage.class);
				assertThat(context).doesNotHaveBean(DuckDbTaskStorage.class);
				assertThat(context).doesNotHaveBean(DataSource.class);
			});
		assertThat(file).doesNotExist();
		assertThat(this.tempDir).isEmptyDirectory();
	}

	@Test
	void scheduledCleanupRunsAgainstTheApplicationsOwnTaskStorage() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")),
					"gobstopper.tasks.cleanup.cron=* * * * * *", "gobstopper.tasks.cleanup.retention=2h")
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskStorageCleanup.class);
				ApplicationTaskStorage storage = context.getBean(ApplicationTaskStorage.class);
				awaitTrue("cleanup runs against the application's storage", () -> !storage.cleanups().isEmpty());
				assertThat(storage.cleanups()).first().isEqualTo(Duration.ofHours(2));
			});
	}

	@Test
	void anApplicationDataSourceFromPropertiesStaysTheMainOneWhileTasksGoToDuckDb() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
			.withUserConfiguration(MainDataSourceUserConfiguration.class)
			.withPropertyValues(dbPath(file), "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasBean("dataSource");
				DataSource main = context.getBean("dataSource", DataSource.class);
				assertThat(context.getBean(MainDataSourceUser.class).dataSource()).isSameAs(main);
				assertTheApplicationKeepsItsH2DatabaseWhileTasksGoToDuckDb(context, main, file);
			});
	}

	@Test
	void anApplicationDataSourceBeanStaysTheMainOneWhileTasksGoToDuckDb() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
			.withUserConfiguration(H2DataSourceConfiguration.class, MainDataSourceUserConfiguration.class)
			.withPropertyValues(dbPath(file))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource main = context.getBean("applicationDataSource", DataSource.class);
				assertThat(main).isInstanceOf(JdbcDataSource.class);
				assertThat(context.getBean(MainDataSourceUser.class).dataSource()).isSameAs(main);
				assertTheApplicationKeepsItsH2DatabaseWhileTasksGoToDuckDb(context, main, file);
			});
	}

	@Test
	void aQualifiedDataSourceThatIsNotADefaultCandidateIsUsedByTheStorageAndTheAutoConfiguredOneBacksOff() {
		assertTasksGoToTheQualifiedDataSource(QualifiedNonDefaultCandidateDataSourceConfiguration.class);
	}

	@Test
	void aQualifiedDataSourceBesideAPrimaryMainDataSourceIsUsedByTheStorageAndTheAutoConfiguredOneBacksOff() {
		assertTasksGoToTheQualifiedDataSource(QualifiedBesidePrimaryDataSourceConfiguration.class);
	}

	@Test
	void theAutoConfiguredDataSourceCanBeInjectedWithTheQualifier() {
		TaskInfo task = task("crawl", "web").build();
		this.contextRunner.withUserConfiguration(TaskDataSourceUserConfiguration.class)
			.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")))
			.run((context) -> {
				DataSource injected = context.getBean(TaskDataSourceUser.class).dataSource();
				assertThat(injected).isSameAs(context.getBean(DuckDbDataSource.class));
				context.getBean(TaskStorage.class).saveTask(task);
				JdbcTemplate duckDb = new JdbcTemplate(injected);
				awaitTrue("the task can be queried through the qualified data source", () -> duckDb
					.queryForObject("SELECT count(*) FROM tasks WHERE id = ?", Integer.class, task.id()) == 1);
			});
	}

	@Test
	void closingTheContextReleasesTheFileLockAndLeavesNoWal() throws Exception {
		Path file = this.tempDir.resolve("tasks.duckdb");
		TaskInfo task = task("transcode", "video").build();
		this.contextRunner.withPropertyValues(dbPath(file))
			.run((context) -> context.getBean(TaskStorage.class).saveTask(task));
		assertThat(Path.of(file + ".wal")).doesNotExist();
		assertThat(DuckDbChildProcess.query(file, "SELECT id FROM tasks")).containsExactly(task.id());
	}

	@Test
	void aSaveAfterTheContextClosedIsRefused() {
		List<TaskStorage> storages = new ArrayList<>();
		this.contextRunner.withPropertyValues(dbPath(this.tempDir.resolve("tasks.duckdb")))
			.run((context) -> storages.add(context.getBean(TaskStorage.class)));
		assertThat(storages).hasSize(1);
		assertThatIllegalStateException().isThrownBy(() -> storages.get(0).saveTask(task("late", "misc").build()))
			.withMessageContaining("closed");
	}

	@Test
	void scheduledCleanupDeletesOldFinishedTasksAndKeepsTheOthers() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		Instant now = Instant.now();
		TaskInfo oldFinished = task("old", "cleanup").status(TaskStatus.SUCCESS)
			.createdAt(now.minus(Duration.ofDays(3)))
			.completedAt(now.minus(Duration.ofDays(2)))
			.build();
		TaskInfo recentFinished = task("recent", "cleanup").status(TaskStatus.FAILED)
			.createdAt(now.minus(Duration.ofMinutes(20)))
			.completedAt(now.minus(Duration.ofMinutes(10)))
			.build();
		TaskInfo oldPending = task("waiting", "cleanup").createdAt(now.minus(Duration.ofDays(3))).build();
		this.contextRunner.withPropertyValues(dbPath(file), "gobstopper.tasks.cleanup.enabled=false")
			.run((context) -> context.getBean(TaskStorage.class)
				.saveTasks(List.of(oldFinished, recentFinished, oldPending)));
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withPropertyValues(dbPath(file), "gobstopper.tasks.cleanup.cron=* * * * * *",
					"gobstopper.tasks.cleanup.retention=1h")
			.run((context) -> {
				TaskStorage storage = context.getBean(TaskStorage.class);
				awaitTrue("the old finished task is deleted", () -> storage.getTask(oldFinished.id()).isEmpty());
				assertThat(storage.getTask(recentFinished.id())).contains(recentFinished);
				assertThat(storage.getTask(oldPending.id())).contains(oldPending);
			});
	}

	private void assertTasksGoToTheQualifiedDataSource(Class<?> configuration) {
		Path file = this.tempDir.resolve("tasks.duckdb");
		Path otherFile = this.tempDir.resolve("other.duckdb");
		TaskInfo task = task("archive", "files").build();
		this.contextRunner.withUserConfiguration(configuration, MainDataSourceUserConfiguration.class)
			.withPropertyValues(dbPath(file), "test.other-db-path=" + otherFile)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DuckDbDataSource.class);
				TaskStorage storage = context.getBean(TaskStorage.class);
				storage.saveTask(task);
				assertThat(storage.getTask(task.id())).contains(task);
				assertThat(context.getBean(MainDataSourceUser.class).dataSource())
					.isSameAs(context.getBean("applicationDataSource"));
			});
		assertThat(file).doesNotExist();
		assertThat(new JdbcTemplate(new DuckDBDataSource("jdbc:duckdb:" + otherFile))
			.queryForList("SELECT id FROM tasks", String.class)).containsExactly(task.id());
	}

	private void assertTheApplicationKeepsItsH2DatabaseWhileTasksGoToDuckDb(AssertableApplicationContext context,
			DataSource main, Path file) {
		JdbcTemplate jdbcTemplate = context.getBean(JdbcTemplate.class);
		assertThat(jdbcTemplate.getDataSource()).isSameAs(main);
		assertThat(jdbcTemplate.queryForObject("SELECT H2VERSION()", String.class)).isNotBlank();
		jdbcTemplate.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
		jdbcTemplate.update("INSERT INTO orders VALUES (1)");
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM orders", Integer.class)).isEqualTo(1);
		assertThat(jdbcTemplate.queryForList(
				"SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'", String.class))
			.containsExactly("ORDERS");
		TaskInfo task = task("invoice", "billing").build();
		TaskStorage storage = context.getBean(TaskStorage.class);
		assertThat(storage).isInstanceOf(DuckDbTaskStorage.class);
		storage.saveTask(task);
		assertThat(storage.getTask(task.id())).contains(task);
		assertThat(file).isRegularFile();
		assertThat(databasePath(context.getBean(DuckDbDataSource.class))).isEqualTo(file.toString());
	}

	private static String dbPath(Path file) {
		return "gobstopper.tasks.db-path=" + file;
	}

	private static TaskInfo.Builder task(String name, String category) {
		return TaskInfo.builder().name(name).category(category);
	}

	private static @Nullable String databasePath(DataSource dataSource) {
		return new JdbcTemplate(dataSource).queryForObject(
				"SELECT path FROM duckdb_databases() WHERE database_name = current_database()", String.class);
	}

	private static List<String> tableNames(JdbcTemplate duckDb) {
		return duckDb.queryForList("SELECT table_name FROM information_schema.tables", String.class);
	}

	private static List<String> tableNamesInFile(Path file) {
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables")) {
			List<String> names = new ArrayList<>();
			while (rs.next()) {
				names.add(rs.getString(1));
			}
			return names;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> cronExpressions(AssertableApplicationContext context) {
		List<String> expressions = new ArrayList<>();
		for (ScheduledTaskHolder holder : context.getBeansOfType(ScheduledTaskHolder.class).values()) {
			for (ScheduledTask scheduled : holder.getScheduledTasks()) {
				if (scheduled.getTask() instanceof CronTask cron) {
					expressions.add(cron.getExpression());
				}
			}
		}
		return expressions;
	}

	private static List<Path> list(Path directory) throws IOException {
		try (var files = Files.list(directory)) {
			return files.sorted(Comparator.naturalOrder()).toList();
		}
	}

	private static <T extends Throwable> @Nullable T causeOf(@Nullable Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

	private static void awaitTrue(String description, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(DEADLINE);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Not true within " + DEADLINE + ": " + description);
			}
			Thread.sleep(50);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedJdbcTemplateConfiguration {

		@Bean
		@TaskStorageDataSource
		JdbcTemplate tasksJdbcTemplate(@TaskStorageDataSource DataSource dataSource) {
			return new JdbcTemplate(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InMemoryTaskStorageConfiguration {

		@Bean
		ApplicationTaskStorage applicationTaskStorage() {
			return new ApplicationTaskStorage();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class H2DataSourceConfiguration {

		@Bean
		JdbcDataSource applicationDataSource() {
			return h2DataSource();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MainDataSourceUserConfiguration {

		@Bean
		MainDataSourceUser mainDataSourceUser(DataSource dataSource) {
			return new MainDataSourceUser(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TaskDataSourceUserConfiguration {

		@Bean
		TaskDataSourceUser taskDataSourceUser(@TaskStorageDataSource DataSource dataSource) {
			return new TaskDataSourceUser(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedNonDefaultCandidateDataSourceConfiguration {

		@Bean
		JdbcDataSource applicationDataSource() {
			return h2DataSource();
		}

		@Bean(defaultCandidate = false)
		@TaskStorageDataSource
		DataSource otherTaskDataSource(Environment environment) {
			return new DuckDBDataSource("jdbc:duckdb:" + environment.getRequiredProperty("test.other-db-path"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedBesidePrimaryDataSourceConfiguration {

		@Bean
		@Primary
		JdbcDataSource applicationDataSource() {
			return h2DataSource();
		}

		@Bean
		@TaskStorageDataSource
		DataSource otherTaskDataSource(Environment environment) {
			return new DuckDBDataSource("jdbc:duckdb:" + environment.getRequiredProperty("test.other-db-path"));
		}

	}

	private static JdbcDataSource h2DataSource() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

	record MainDataSourceUser(DataSource dataSource) {
	}

	record TaskDataSourceUser(DataSource dataSource) {
	}

}
