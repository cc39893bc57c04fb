package dev.gobstopper.tasks.autoconfigure.metrics;

import java.nio.file.Path;

import dev.gobstopper.tasks.ApplicationTaskStorage;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskStorageMetricsAutoConfiguration}.
 */
class TaskStorageMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				TaskStorageMetricsAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@Test
	void theStoragesMetricsAreBoundToTheMeterRegistry() {
		this.contextRunner.withPropertyValues(dbPath()).run((context) -> {
			assertThat(context).hasSingleBean(TaskStorageMetrics.class);
			context.getBean(TaskStorage.class).saveTask(TaskInfo.builder().name("n").category("c").build());
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("gobstopper.tasks.saves").tag("outcome", "success").timer().count()).isOne();
			assertThat(registry.get("gobstopper.tasks.count").gauges()).isNotEmpty();
			assertThat(registry.get("gobstopper.tasks.journal.backlog").gauge()).isNotNull();
		});
	}

	@Test
	void withoutMicrometerOnTheClassPathNoMetricsAreConfigured() {
		// Imported as an application imports them, so that auto-configurations whose
		// classes are missing are filtered out before their conditions are read
		new ApplicationContextRunner().withUserConfiguration(ImportedAutoConfigurations.class)
			.withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.micrometer"))
			.withPropertyValues(dbPath())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(TaskStorage.class);
				assertThat(context).doesNotHaveBean(TaskStorageMetrics.class);
			});
	}

	@Test
	void withoutAMeterRegistryNoMetricsAreConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class,
					TaskStorageMetricsAutoConfiguration.class))
			.withPropertyValues(dbPath())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskStorageMetrics.class));
	}

	@Test
	void withoutATaskStorageNoMetricsAreConfigured() {
		this.contextRunner.withPropertyValues("gobstopper.tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskStorageMetrics.class));
	}

	@Test
	void whenTheUserDefinesTheirOwnTaskStorageMetricsTheAutoConfiguredOnesBackOff() {
		this.contextRunner.withUserConfiguration(UserMetricsConfiguration.class)
			.withPropertyValues(dbPath())
			.run((context) -> assertThat(context).getBean(TaskStorageMetrics.class)
				.isSameAs(context.getBean("userMetrics")));
	}

	@Test
	void anApplicationsOwnStorageHasItsCountsButNoTimers() {
		ApplicationTaskStorage storage = new ApplicationTaskStorage();
		storage.saveTask(TaskInfo.builder().name("n").category("c").build());
		this.contextRunner.withBean(TaskStorage.class, () -> storage).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("gobstopper.tasks.count").tag("status", "pending").gauge().value()).isOne();
			assertThat(registry.find("gobstopper.tasks.saves").meters()).isEmpty();
			assertThat(registry.find("gobstopper.tasks.journal.backlog").meters()).isEmpty();
		});
	}

	private String dbPath() {
		return "gobstopper.tasks.db-path=" + this.tempDir.resolve("tasks.duckdb");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskStorageAutoConfiguration.class, TaskStorageMetricsAutoConfiguration.class })
	static class ImportedAutoConfigurations {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetricsConfiguration {

		@Bean
		TaskStorageMetrics userMetrics(TaskStorage storage) {
			return new TaskStorageMetrics(storage);
		}

	}

}
