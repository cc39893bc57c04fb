package dev.gobstopper.tasks.autoconfigure.health;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.gobstopper.tasks.ApplicationTaskStorage;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TestClock;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import dev.gobstopper.tasks.duckdb.JournalWriterFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link TaskStorageHealthContributorAutoConfiguration} and the health it
 * reports of real stores.
 */
class TaskStorageHealthContributorAutoConfigurationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static final String POSTGRES_URL = System.getenv()
		.getOrDefault("GOBSTOPPER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class,
				TaskStorageHealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@Test
	void theHealthOfTheTaskStorageIsContributedAsGobstopperTasks() {
		this.contextRunner.withPropertyValues(dbPath()).run((context) -> {
			assertThat(context).hasSingleBean(TaskStorageHealthIndicator.class);
			assertThat(context.getBean(HealthContributorRegistry.class).getContributor("gobstopperTasks"))
				.isSameAs(context.getBean(TaskStorageHealthIndicator.class));
		});
	}

	@Test
	void withoutSpringBootHealthOnTheClassPathNoHealthIndicatorIsConfigured() {
		// Imported as an application imports them, so that auto-configurations whose
		// classes are missing are filtered out before their conditions are read
		new ApplicationContextRunner().withUserConfiguration(ImportedAutoConfigurations.class)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.withPropertyValues(dbPath())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(TaskStorage.class);
				assertThat(context).doesNotHaveBean(TaskStorageHealthIndicator.class);
			});
	}

	@Test
	void whenTheHealthIndicatorIsDisabledNoneIsConfigured() {
		this.contextRunner.withPropertyValues(dbPath(), "management.health.gobstoppertasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskStorageHealthIndicator.class));
	}

	@Test
	void withoutATaskStorageNoHealthIndicatorIsConfigured() {
		this.contextRunner.withPropertyValues("gobstopper.tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskStorageHealthIndicator.class));
	}

	@Test
	void whenTheUserDefinesTheirOwnGobstopperTasksHealthIndicatorTheAutoConfiguredOneBacksOff() {
		this.contextRunner.withUserConfiguration(UserHealthIndicatorConfiguration.class)
			.withPropertyValues(dbPath())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TaskStorageHealthIndicator.class);
				assertThat(context.getBean(HealthContributorRegistry.class).getContributor("gobstopperTasks"))
					.isSameAs(context.getBean("gobstopperTasksHealthIndicator"));
			});
	}

	@Test
	void aNegativeFailureThresholdFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues(dbPath(), "management.health.gobstoppertasks.failure-threshold=-1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("management.health.gobstoppertasks.failure-threshold");
			});
	}

	@Test
	void defaultsOfThePropertiesAreTheDocumentedOnes() {
		assertThat(new TaskStorageHealthIndicatorProperties().getFailureThreshold()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void onDuckDbTheHealthIsUpWithTheStoreTypeAndTheFile() {
		Path file = this.tempDir.resolve("tasks.duckdb");
		this.contextRunner.withPropertyValues(dbPath(file)).run((context) -> {
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("type", "duckdb").containsValue(file.toString());
			assertThat(health.getDetails()).doesNotContainKeys("failure", "failingSince", "lastCleanup",
					"oldestPending");
		});
	}

	@Test
	void theLastCleanupIsReportedWithWhenItRanHowManyItDeletedAndHowLongItTook() {
		Instant completed = Instant.now().minus(Duration.ofDays(3));
		TaskInfo old = TaskInfo.builder()
			.name("report")
			.category("reports")
			.status(TaskStatus.SUCCESS)
			.createdAt(completed.minusSeconds(60))
			.completedAt(completed)
			.build();
		this.contextRunner.withPropertyValues(dbPath()).run((context) -> {
			TaskStorage storage = context.getBean(TaskStorage.class);
			storage.saveTask(old);
			Instant before = Instant.now();
			assertThat(storage.cleanupOldTasks(Duration.ofDays(1))).isOne();
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("lastCleanup")).asInstanceOf(MAP)
				.containsEntry("deleted", 1)
				.containsKeys("startedAt", "duration")
				.doesNotContainKey("error")
				.hasEntrySatisfying("startedAt", (startedAt) -> assertThat((Instant) startedAt).isAfterOrEqualTo(
						before.minusMillis(1)))
				.hasEntrySatisfying("duration", (duration) -> assertThat((Duration) duration).isPositive());
		});
	}

	@Test
	void theOldestPendingTaskIsReportedWithItsAge() {
		TestClock clock = new TestClock(Instant.parse("2030-01-01T12:00:00Z"));
		TaskInfo oldest = TaskInfo.builder()
			.name("a")
			.category("c")
			.createdAt(clock.instant().minusSeconds(90))
			.build();
		TaskInfo newer = TaskInfo.builder()
			.name("b")
			.category("c")
			.createdAt(clock.instant().minusSeconds(30))
			.build();
		TaskInfo olderButStarted = TaskInfo.builder()
			.name("c")
			.category("c")
			.status(TaskStatus.STARTED)
			.createdAt(clock.instant().minusSeconds(300))
			.build();
		this.contextRunner.withBean(Clock.class, () -> clock).withPropertyValues(dbPath()).run((context) -> {
			context.getBean(TaskStorage.class).saveTasks(List.of(newer, oldest, olderButStarted));
			assertThat(health(context).getDetails().get("oldestPending")).asInstanceOf(MAP)
				.containsEntry("id", oldest.id())
				.containsEntry("createdAt", oldest.createdAt())
				.containsEntry("age", Duration.ofSeconds(90));
		});
	}

	@Test
	void healthIsDownOnceTheDuckDbJournalWriterHasStopped() {
		this.contextRunner.withPropertyValues(dbPath()).run((context) -> {
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			JournalWriterFailure.stopJournalWriter(context.getBean(DuckDbTaskStorage.class));
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("type", "duckdb").containsKey("failure");
		});
	}

	@Test
	void healthIsDownOnceMergesHaveFailedForLongerThanTheThreshold() {
		TestClock clock = new TestClock(Instant.parse("2030-01-01T12:00:00Z"));
		this.contextRunner.withBean(Clock.class, () -> clock)
			.withPropertyValues(dbPath(), "management.health.gobstoppertasks.failure-threshold=2m")
			.run((context) -> {
				TaskStorage storage = context.getBean(TaskStorage.class);
				TaskInfo task = TaskInfo.builder().id("held").name("n").category("c").build();
				storage.saveTask(task);
				try (Connection hold = context.getBean(DuckDbDataSource.class).getConnection();
						Statement statement = hold.createStatement()) {
					await().atMost(PATIENCE).until(() -> journalRows(statement) == 0);
					// A merge deletes the rows it replaces: it conflicts with this open delete,
					// and fails until the delete is rolled back.
					statement.execute("BEGIN TRANSACTION");
					statement.execute("DELETE FROM tasks WHERE id = 'held'");
					storage.saveTask(task);
					Health failing = await().atMost(PATIENCE)
						.until(() -> health(context), (health) -> health.getDetails().containsKey("failingSince"));
					assertThat(failing.getStatus()).isEqualTo(Status.UP);
					assertThat(failing.getDetails()).containsEntry("failingSince", clock.instant());
					clock.advance(Duration.ofMinutes(2));
					assertThat(health(context).getStatus()).isEqualTo(Status.UP);
					clock.advance(Duration.ofSeconds(1));
					assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
					statement.execute("ROLLBACK");
				}
				await().atMost(PATIENCE).until(() -> health(context).getStatus().equals(Status.UP));
			});
	}

	@Test
	void onPostgresqlTheHealthIsDownWhileTheServerCannotBeReached() throws Exception {
		DelegatingDataSource unplugged = new DelegatingDataSource(postgres());
		String table = "health_" + UUID.randomUUID().toString().replace("-", "");
		try {
			this.contextRunner.withBean(DataSource.class, () -> unplugged)
				.withPropertyValues("gobstopper.tasks.store-type=jdbc", "gobstopper.tasks.table-name=" + table)
				.run((context) -> {
					Health reachable = health(context);
					assertThat(reachable.getStatus()).isEqualTo(Status.UP);
					assertThat(reachable.getDetails()).containsEntry("type", "jdbc")
						.containsEntry("database", "PostgreSQL")
						.containsEntry("table", "public." + table);
					unplugged.setTargetDataSource(closedPort());
					Health unreachable = health(context);
					assertThat(unreachable.getStatus()).isEqualTo(Status.DOWN);
					assertThat(unreachable.getDetails()).hasEntrySatisfying("error", (error) -> assertThat(error)
						.asString()
						.startsWith(TaskStorageException.class.getName() + ": The task storage cannot read its table"));
					unplugged.setTargetDataSource(postgres());
					assertThat(health(context).getStatus()).isEqualTo(Status.UP);
				});
		}
		finally {
			new JdbcTemplate(postgres()).execute("DROP TABLE IF EXISTS " + table);
		}
	}

	@Test
	void anApplicationsOwnStorageIsUpWhileItAnswersAndDownWhileItCannotBeReached() {
		ApplicationTaskStorage storage = new ApplicationTaskStorage();
		TaskInfo pending = TaskInfo.builder().name("n").category("c").build();
		storage.saveTask(pending);
		this.contextRunner.withBean(TaskStorage.class, () -> storage).run((context) -> {
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("oldestPending");
			assertThat(health.getDetails().get("oldestPending")).asInstanceOf(MAP).containsEntry("id", pending.id());
		});
		storage.unreachable(true);
		this.contextRunner.withBean(TaskStorage.class, () -> storage).run((context) -> {
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("error",
					"dev.gobstopper.tasks.TaskStorageException: Could not reach the task store");
		});
	}

	@Test
	void theOldestPendingTaskIsLookedUpAgainOnlyOnceTheLastAnswerIsOlderThanItsMaximumAge() {
		ApplicationTaskStorage storage = new ApplicationTaskStorage();
		HealthIndicator health = new TaskStorageHealthIndicator(storage, Duration.ofMinutes(1), Clock.systemUTC(),
				Duration.ofHours(1));
		assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		storage.unreachable(true);
		assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		assertThat(storage.oldestLookups()).isOne();
	}

	@Test
	void onceTheFirstLookUpHasAnsweredAChecksNeverWaitsForOneAndReportsItsAnswerWhenItComes() {
		ApplicationTaskStorage storage = new ApplicationTaskStorage();
		HealthIndicator health = new TaskStorageHealthIndicator(storage, Duration.ofMinutes(1), Clock.systemUTC(),
				Duration.ZERO);
		assertThat(health.health().getDetails()).doesNotContainKey("oldestPending");
		TaskInfo pending = TaskInfo.builder().name("n").category("c").build();
		storage.saveTask(pending);
		storage.holdLookups();
		try {
			Health whileLookingUp = assertTimeoutPreemptively(PATIENCE, () -> health.health());
			assertThat(whileLookingUp.getStatus()).isEqualTo(Status.UP);
			assertThat(whileLookingUp.getDetails()).doesNotContainKey("oldestPending");
		}
		finally {
			storage.releaseLookups();
		}
		await().atMost(PATIENCE)
			.until(() -> health.health().getDetails().get("oldestPending"),
					(oldest) -> oldest instanceof Map<?, ?> map && pending.id().equals(map.get("id")));
		storage.unreachable(true);
		await().atMost(PATIENCE).until(() -> health.health().getStatus(), Status.DOWN::equals);
		storage.unreachable(false);
		await().atMost(PATIENCE).until(() -> health.health().getStatus(), Status.UP::equals);
	}

	@Test
	void byDefaultTheOldestPendingTaskIsReusedForFiveSeconds() {
		assertThat(TaskStorageHealthIndicator.OLDEST_PENDING_MAX_AGE).isEqualTo(Duration.ofSeconds(5));
	}

	/**
	 * Return a data source of the PostgreSQL server of the tests.
	 * @throws AssertionError naming the command that starts PostgreSQL if it cannot be
	 * reached
	 */
	private static DataSource postgres() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(POSTGRES_URL);
		try (Connection connection = dataSource.getConnection()) {
			return dataSource;
		}
		catch (SQLException ex) {
			throw new AssertionError("PostgreSQL cannot be reached at " + POSTGRES_URL + " (" + ex.getMessage()
					+ "). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", ex);
		}
	}

	/**
	 * Return a data source whose connections go to a port nobody listens on.
	 */
	private static DataSource closedPort() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL("jdbc:postgresql://127.0.0.1:" + port + "/test?user=postgres&connectTimeout=5");
		return dataSource;
	}

	private String dbPath() {
		return dbPath(this.tempDir.resolve("tasks.duckdb"));
	}

	private static String dbPath(Path file) {
		return "gobstopper.tasks.db-path=" + file;
	}

	private static Health health(AssertableApplicationContext context) {
		return context.getBean(TaskStorageHealthIndicator.class).health();
	}

	private static long journalRows(Statement statement) throws SQLException {
		try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM tasks_journal")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskStorageAutoConfiguration.class,
			TaskStorageHealthContributorAutoConfiguration.class })
	static class ImportedAutoConfigurations {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthIndicatorConfiguration {

		@Bean
		HealthIndicator gobstopperTasksHealthIndicator() {
			return () -> Health.up().withDetail("mine", true).build();
		}

	}

}
