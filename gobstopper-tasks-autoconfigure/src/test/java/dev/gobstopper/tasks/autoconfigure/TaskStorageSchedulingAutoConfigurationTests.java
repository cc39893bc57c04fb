package dev.gobstopper.tasks.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.ApplicationTaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfigurationTests.InMemoryTaskStorageConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskStorageSchedulingAutoConfiguration}.
 */
class TaskStorageSchedulingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class,
				TaskStorageSchedulingAutoConfiguration.class, TaskSchedulingAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@Test
	void theStoragesSchedulesRunOnDaemonThreadsOfTheStartersOwnScheduler() {
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues("gobstopper.tasks.cleanup.cron=* * * * * *")
			.run((context) -> {
				ThreadPoolTaskScheduler scheduler = context.getBean(TaskStorageSchedulingAutoConfiguration.SCHEDULER,
						ThreadPoolTaskScheduler.class);
				assertThat(scheduler.isDaemon()).isTrue();
				CompletableFuture<Thread> thread = new CompletableFuture<>();
				scheduler.execute(() -> thread.complete(Thread.currentThread()));
				assertThat(thread.get(10, TimeUnit.SECONDS).isDaemon()).isTrue();
				ApplicationTaskStorage storage = context.getBean(ApplicationTaskStorage.class);
				awaitTrue(() -> !storage.cleanups().isEmpty() && !storage.reclaims().isEmpty());
			});
	}

	@Test
	void bootsTaskSchedulerStaysAndRunsTheApplicationsOwnScheduledMethods() {
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class, OwnSchedule.class)
			.run((context) -> {
				assertThat(context).hasBean("taskScheduler");
				assertThat(context.getBean("taskScheduler")).isNotSameAs(
						context.getBean(TaskStorageSchedulingAutoConfiguration.SCHEDULER));
				assertThat(context.getBeanProvider(TaskScheduler.class).getObject())
					.isSameAs(context.getBean("taskScheduler"));
				Thread thread = context.getBean(OwnSchedule.class).ran.get(10, TimeUnit.SECONDS);
				assertThat(thread.getName()).startsWith("scheduling-");
				assertThat(thread.isDaemon()).isFalse();
			});
	}

	@Test
	void expiredLeasesAreReclaimedOnTheConfiguredIntervalInBatchesOfTheConfiguredSize() {
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues("gobstopper.tasks.leases.reclaim-interval=50ms",
					"gobstopper.tasks.leases.reclaim-batch=25")
			.run((context) -> {
				ApplicationTaskStorage storage = context.getBean(ApplicationTaskStorage.class);
				awaitTrue(() -> storage.reclaims().size() >= 3);
				assertThat(storage.reclaims()).allMatch((limit) -> limit == 25);
			});
	}

	@Test
	void whenCleanupAndLeaseReclaimAreDisabledSchedulingIsNotEnabled() {
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues("gobstopper.tasks.cleanup.enabled=false", "gobstopper.tasks.leases.reclaim-enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskStorage.class);
				assertThat(context).doesNotHaveBean(TaskLeaseReclaim.class);
				assertThat(context).doesNotHaveBean(ScheduledTaskHolder.class);
				assertThat(context).doesNotHaveBean(TaskStorageSchedulingAutoConfiguration.SCHEDULER);
				assertThat(context).doesNotHaveBean("taskScheduler");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "0s", "-1s" })
	void aReclaimIntervalThatIsNotPositiveFailsStartupNamingTheProperty(String interval) {
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues("gobstopper.tasks.leases.reclaim-interval=" + interval)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("gobstopper.tasks.leases.reclaim-interval"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0 0 3 * *", "every night", "0 0 25 * * *" })
	void aCleanupCronThatIsNotACronExpressionFailsStartupNamingTheProperty(String cron) {
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues("gobstopper.tasks.cleanup.cron=" + cron)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("gobstopper.tasks.cleanup.cron")
				.hasMessageContaining("six fields"));
	}

	@Test
	void aReclaimBatchBelowOneFailsStartupNamingTheProperty() {
		this.contextRunner.withUserConfiguration(InMemoryTaskStorageConfiguration.class)
			.withPropertyValues("gobstopper.tasks.leases.reclaim-batch=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("gobstopper.tasks.leases.reclaim-batch"));
	}

	@Test
	void theStorageTellsTimeByTheApplicationsClock() {
		Instant farFuture = Instant.parse("2100-01-01T00:00:00Z");
		TaskInfo finishedNow = TaskInfo.builder()
			.name("report")
			.category("reports")
			.status(TaskStatus.SUCCESS)
			.completedAt(Instant.now())
			.build();
		this.contextRunner.withUserConfiguration(FixedClockConfiguration.class)
			.withPropertyValues("gobstopper.tasks.db-path=" + this.tempDir.resolve("tasks.duckdb"),
					"test.clock=" + farFuture)
			.run((context) -> {
				TaskStorage storage = context.getBean(TaskStorage.class);
				storage.saveTask(finishedNow);
				assertThat(storage.cleanupOldTasks(Duration.ofDays(1))).isEqualTo(1);
				assertThat(storage.getTask(finishedNow.id())).isEmpty();
			});
	}

	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(15);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as("waited for the schedule").isBefore(deadline);
			Thread.sleep(20);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSchedule {

		final CompletableFuture<Thread> ran = new CompletableFuture<>();

		@Scheduled(fixedDelay = 50)
		void tick() {
			this.ran.complete(Thread.currentThread());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FixedClockConfiguration {

		@Bean
		Clock clock(Environment environment) {
			return Clock.fixed(Instant.parse(environment.getRequiredProperty("test.clock")), ZoneOffset.UTC);
		}

	}

}
