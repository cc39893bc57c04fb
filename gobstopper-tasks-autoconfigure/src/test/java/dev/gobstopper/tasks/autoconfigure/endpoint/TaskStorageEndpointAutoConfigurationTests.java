package dev.gobstopper.tasks.autoconfigure.endpoint;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskStorageEndpointAutoConfiguration}.
 */
class TaskStorageEndpointAutoConfigurationTests {

	private static final String EXPOSED_OVER_HTTP = "management.endpoints.web.exposure.include=gobstoppertasks";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskStorageAutoConfiguration.class,
				TaskStorageEndpointAutoConfiguration.class));

	@TempDir
	Path tempDir;

	@Test
	void whenExposedOverHttpTheEndpointAndItsWebExtensionAreConfigured() {
		this.contextRunner.withPropertyValues(dbPath(), EXPOSED_OVER_HTTP).run((context) -> {
			assertThat(context).hasSingleBean(TaskStorageEndpoint.class);
			assertThat(context).hasSingleBean(TaskStorageEndpointWebExtension.class);
		});
	}

	@Test
	void whenExposedOverJmxOnlyTheEndpointIsConfiguredWithoutItsWebExtension() {
		this.contextRunner
			.withPropertyValues(dbPath(), "spring.jmx.enabled=true",
					"management.endpoints.jmx.exposure.include=gobstoppertasks")
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskStorageEndpoint.class);
				assertThat(context).doesNotHaveBean(TaskStorageEndpointWebExtension.class);
			});
	}

	@Test
	void whenNotExposedNoEndpointIsConfigured() {
		this.contextRunner.withPropertyValues(dbPath())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskStorageEndpoint.class));
	}

	@Test
	void whenItsAccessIsNoneNoEndpointIsConfigured() {
		this.contextRunner
			.withPropertyValues(dbPath(), EXPOSED_OVER_HTTP, "management.endpoint.gobstoppertasks.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskStorageEndpoint.class));
	}

	@Test
	void withoutActuatorOnTheClassPathNoEndpointIsConfigured() {
		// Imported as an application imports them, so that auto-configurations whose
		// classes are missing are filtered out before their conditions are read
		new ApplicationContextRunner().withUserConfiguration(ImportedAutoConfigurations.class)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues(dbPath(), EXPOSED_OVER_HTTP)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(TaskStorage.class);
				assertThat(context).doesNotHaveBean(TaskStorageEndpoint.class);
			});
	}

	@Test
	void withoutATaskStorageNoEndpointIsConfigured() {
		this.contextRunner.withPropertyValues("gobstopper.tasks.enabled=false", EXPOSED_OVER_HTTP)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskStorageEndpoint.class));
	}

	@Test
	void whenTheUserDefinesTheirOwnEndpointTheAutoConfiguredOneBacksOff() {
		this.contextRunner.withUserConfiguration(UserEndpointConfiguration.class)
			.withPropertyValues(dbPath(), EXPOSED_OVER_HTTP)
			.run((context) -> {
				assertThat(context).getBean(TaskStorageEndpoint.class).isSameAs(context.getBean("userEndpoint"));
				assertThat(context).hasSingleBean(TaskStorageEndpointWebExtension.class);
			});
	}

	@Test
	void defaultsOfThePropertiesAreTheDocumentedOnes() {
		TaskStorageEndpointProperties properties = new TaskStorageEndpointProperties();
		assertThat(properties.getShowValues()).isEqualTo(Show.NEVER);
		assertThat(properties.getRoles()).isEmpty();
	}

	private String dbPath() {
		return "gobstopper.tasks.db-path=" + this.tempDir.resolve("tasks.duckdb");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskStorageAutoConfiguration.class, TaskStorageEndpointAutoConfiguration.class })
	static class ImportedAutoConfigurations {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		@Bean
		TaskStorageEndpoint userEndpoint(TaskStorage storage) {
			return new TaskStorageEndpoint(storage, List.of(), Show.ALWAYS, Clock.systemUTC());
		}

	}

}
