package dev.gobstopper.tasks.autoconfigure.dashboard;

import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskDashboardAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskDashboardAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(TaskStorageAutoConfiguration.class,
			TaskDashboardAutoConfiguration.class);

	private static final String IN_MEMORY = "gobstopper.tasks.db-path=:memory:";

	private static final String ENABLED = "gobstopper.tasks.dashboard.enabled=true";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues(IN_MEMORY);

	@Test
	void byDefaultTheDashboardIsNotConfigured() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(TaskDashboardPageController.class)
			.doesNotHaveBean(TaskDashboardApiController.class)
			.doesNotHaveBean(TaskDashboardGuard.class));
	}

	@Test
	void whenEnabledInAServletWebApplicationTheDashboardIsConfigured() {
		this.contextRunner.withPropertyValues(ENABLED)
			.run((context) -> assertThat(context).hasSingleBean(TaskDashboardPageController.class)
				.hasSingleBean(TaskDashboardApiController.class)
				.hasSingleBean(TaskDashboardGuard.class)
				.hasSingleBean(SpringSecurity.class));
	}

	@Test
	void whenEnabledInANonWebApplicationTheDashboardIsNotConfigured() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(IN_MEMORY, ENABLED)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskDashboardPageController.class));
	}

	@Test
	void whenEnabledInAReactiveWebApplicationTheDashboardIsNotConfigured() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(IN_MEMORY, ENABLED)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskDashboardPageController.class));
	}

	@Test
	void whenSpringMvcIsNotOnTheClassPathTheDashboardIsNotConfigured() {
		this.contextRunner.withPropertyValues(ENABLED)
			.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskDashboardPageController.class));
	}

	@Test
	void whenTheTaskStorageIsDisabledTheDashboardIsNotConfigured() {
		this.contextRunner.withPropertyValues(ENABLED, "gobstopper.tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskDashboardPageController.class));
	}

	@Test
	void whenSpringSecurityIsNotOnTheClassPathTheDashboardIsConfiguredWithoutIt() {
		this.contextRunner.withPropertyValues(ENABLED)
			.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.run((context) -> assertThat(context).hasSingleBean(TaskDashboardGuard.class)
				.doesNotHaveBean(SpringSecurity.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "gobstopper/tasks", "/gobstopper/tasks/", "/", "/tasks/**", "/tasks/{id}", "/a b",
			"/tasks/../admin", "/tasks//x" })
	void aPathThatIsNotAPlainPathFailsStartupNamingTheProperty(String path) {
		this.contextRunner.withPropertyValues(ENABLED, "gobstopper.tasks.dashboard.path=" + path)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("gobstopper.tasks.dashboard.path"));
	}

	@Test
	void theDefaultsOfThePropertiesAreTheDocumentedOnes() {
		TaskDashboardProperties properties = new TaskDashboardProperties();
		assertThat(properties.isEnabled()).isFalse();
		assertThat(properties.getPath()).isEqualTo("/gobstopper/tasks");
		assertThat(properties.isReadOnly()).isTrue();
		assertThat(properties.isAllowRemote()).isFalse();
		assertThat(TaskDashboardAutoConfiguration.PATH).isEqualTo("${gobstopper.tasks.dashboard.path:/gobstopper/tasks}");
	}

	@Test
	void whenRemoteRequestsAreAllowedWithoutSpringSecurityStartupWarns(CapturedOutput output) {
		this.contextRunner.withPropertyValues(ENABLED, "gobstopper.tasks.dashboard.allow-remote=true")
			.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("The task dashboard at /gobstopper/tasks answers requests from any address")
			.contains("anyone who can reach this server can read its tasks.");
	}

	@Test
	void whenOnlyLocalRequestsAreAnsweredStartupDoesNotWarn(CapturedOutput output) {
		this.contextRunner.withPropertyValues(ENABLED)
			.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("The task dashboard at");
	}

}
