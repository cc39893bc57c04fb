package dev.gobstopper.tasks.autoconfigure.dashboard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import dev.gobstopper.tasks.autoconfigure.dashboard.TaskDashboardAccessTests.DashboardTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard in an application with Spring Security: the application's own rules, as
 * README shows them, protect it, and its writes carry Spring Security's CSRF token.
 */
class TaskDashboardSecurityTests {

	private static final String PAGE = "/gobstopper/tasks";

	private static final String REMOTE = "203.0.113.7";

	private static final Pattern CSRF = Pattern
		.compile("data-csrf-header=\"([^\"]+)\" data-csrf-token=\"([^\"]+)\"");

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				TaskStorageAutoConfiguration.class, TaskDashboardAutoConfiguration.class))
		.withPropertyValues("gobstopper.tasks.db-path=:memory:", "gobstopper.tasks.dashboard.enabled=true");

	@Test
	void anAnonymousVisitorIsSentToTheLoginPage() {
		run(OperatorsOnly.class, (mvc, storage) -> {
			mvc.perform(get(PAGE)).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
			mvc.perform(get(PAGE + "/api/task").param("id", "t1")).andExpect(status().isFound());
		});
	}

	@Test
	void aUserWithoutTheRoleIsForbidden() {
		run(OperatorsOnly.class, (mvc, storage) -> {
			mvc.perform(get(PAGE).with(user("viewer").roles("USER"))).andExpect(status().isForbidden());
			mvc.perform(get(PAGE + "/api/task").param("id", "t1").with(user("viewer").roles("USER")))
				.andExpect(status().isForbidden());
		});
	}

	@Test
	void aUserWithTheRoleIsAnsweredFromAnyAddressSinceTheApplicationsRulesDecide() {
		run(OperatorsOnly.class, (mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(get(PAGE).with(user("operator").roles("OPERATOR")).with(TaskDashboardAccessTests.from(REMOTE)))
				.andExpect(status().isOk());
			mvc.perform(get(PAGE + "/api/task").param("id", "t1")
				.with(user("operator").roles("OPERATOR"))
				.with(TaskDashboardAccessTests.from(REMOTE))).andExpect(status().isOk());
		});
	}

	@Test
	void aDeleteWithoutTheCsrfTokenIsRefusedAndTheTaskIsKept() {
		this.contextRunner.withUserConfiguration(OperatorsOnly.class)
			.withPropertyValues("gobstopper.tasks.dashboard.read-only=false")
			.run(mvc((mvc, storage) -> {
				storage.saveTask(TestTasks.task("t1").build());
				mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1")
					.header("Sec-Fetch-Site", "same-origin")
					.with(user("operator").roles("OPERATOR"))).andExpect(status().isForbidden());
				assertThat(storage.getTask("t1")).isPresent();
			}));
	}

	@Test
	void aDeleteWithTheCsrfTokenThePageCarriesDeletesTheTask() {
		this.contextRunner.withUserConfiguration(OperatorsOnly.class)
			.withPropertyValues("gobstopper.tasks.dashboard.read-only=false")
			.run(mvc((mvc, storage) -> {
				storage.saveTask(TestTasks.task("t1").build());
				MockHttpSession session = new MockHttpSession();
				String page = mvc.perform(get(PAGE).session(session).with(user("operator").roles("OPERATOR")))
					.andExpect(status().isOk())
					.andReturn()
					.getResponse()
					.getContentAsString();
				Matcher csrf = CSRF.matcher(page);
				assertThat(csrf.find()).as("the page carries a CSRF token").isTrue();
				mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1")
					.session(session)
					.header("Sec-Fetch-Site", "same-origin")
					.header(csrf.group(1), csrf.group(2))
					.with(user("operator").roles("OPERATOR"))).andExpect(status().isOk());
				assertThat(storage.getTask("t1")).isEmpty();
			}));
	}

	@Test
	void whenReadOnlyEvenAnOperatorsDeleteWithTheCsrfTokenIsRefused() {
		run(OperatorsOnly.class, (mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			MockHttpSession session = new MockHttpSession();
			String page = mvc.perform(get(PAGE).session(session).with(user("operator").roles("OPERATOR")))
				.andReturn()
				.getResponse()
				.getContentAsString();
			Matcher csrf = CSRF.matcher(page);
			assertThat(csrf.find()).isTrue();
			mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1")
				.session(session)
				.header("Sec-Fetch-Site", "same-origin")
				.header(csrf.group(1), csrf.group(2))
				.with(user("operator").roles("OPERATOR")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.error").value("The task dashboard is read-only."));
			assertThat(storage.getTask("t1")).isPresent();
		});
	}

	@Test
	void whenTheApplicationsRulesDoNotCoverTheDashboardItAnswersLocalRequestsOnly() {
		run(ApiOnly.class, (mvc, storage) -> {
			mvc.perform(get(PAGE)).andExpect(status().isOk());
			mvc.perform(get(PAGE).with(TaskDashboardAccessTests.from(REMOTE))).andExpect(status().isForbidden());
		});
	}

	private void run(Class<?> security, DashboardTest test) {
		this.contextRunner.withUserConfiguration(security).run(mvc(test));
	}

	private static ContextConsumer<AssertableWebApplicationContext> mvc(DashboardTest test) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			test.run(MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build(),
					context.getBean(dev.gobstopper.tasks.TaskStorage.class));
		};
	}

	/**
	 * README's example: the dashboard for operators only.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OperatorsOnly {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/gobstopper/tasks/**")
					.hasRole("OPERATOR")
					.anyRequest()
					.authenticated())
				.formLogin(Customizer.withDefaults())
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApiOnly {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.securityMatcher("/api/**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

	}

}
