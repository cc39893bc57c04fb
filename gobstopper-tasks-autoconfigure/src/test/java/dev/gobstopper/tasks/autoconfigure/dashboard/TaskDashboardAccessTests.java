package dev.gobstopper.tasks.autoconfigure.dashboard;

import java.util.Map;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who may use the dashboard in an application without Spring Security, over Spring MVC
 * with a real DuckDB store.
 */
class TaskDashboardAccessTests {

	private static final String PAGE = "/gobstopper/tasks";

	private static final String REMOTE = "203.0.113.7";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
				TaskStorageAutoConfiguration.class, TaskDashboardAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
		.withPropertyValues("gobstopper.tasks.db-path=:memory:", "gobstopper.tasks.dashboard.enabled=true");

	@Test
	void aLocalRequestGetsThePageItsScriptItsStylesAndItsData() {
		run((mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(get(PAGE))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith("text/html"))
				.andExpect(content().string(containsString("src=\"/gobstopper/tasks/dashboard.js\"")))
				.andExpect(content().string(containsString("data-read-only=\"true\"")));
			mvc.perform(get(PAGE + "/dashboard.js"))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith("text/javascript"));
			mvc.perform(get(PAGE + "/dashboard.css"))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith("text/css"));
			mvc.perform(get(PAGE + "/api/task").param("id", "t1"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.id").value("t1"));
		});
	}

	@Test
	void thePageForbidsFramingAndEveryScriptButItsOwn() {
		run((mvc, storage) -> mvc.perform(get(PAGE))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
			.andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")))
			.andExpect(header().string("Cache-Control", "no-store")));
	}

	@Test
	void aRequestFromAnotherAddressIsRefused() {
		run((mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(get(PAGE).with(from(REMOTE)))
				.andExpect(status().isForbidden())
				.andExpect(content().string("The task dashboard answers requests from this machine only."));
			mvc.perform(get(PAGE + "/api/task").param("id", "t1").with(from(REMOTE)))
				.andExpect(status().isForbidden())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
				.andExpect(jsonPath("$.error").value("The task dashboard answers requests from this machine only."));
		});
	}

	@Test
	void aRequestFromAnIpv6LoopbackAddressIsAnswered() {
		run((mvc, storage) -> mvc.perform(get(PAGE).with(from("0:0:0:0:0:0:0:1"))).andExpect(status().isOk()));
	}

	@Test
	void aLocalRequestThroughAProxyIsRefused() {
		run((mvc, storage) -> {
			mvc.perform(get(PAGE).header("X-Forwarded-For", REMOTE)).andExpect(status().isForbidden());
			mvc.perform(get(PAGE).header("Forwarded", "for=" + REMOTE)).andExpect(status().isForbidden());
		});
	}

	@Test
	void aLocalRequestForAnotherHostNameIsRefusedSoThatARebindedNameCannotReadTheDashboard() {
		run((mvc, storage) -> {
			mvc.perform(get(PAGE).header("Host", "attacker.example:8080")).andExpect(status().isForbidden());
			mvc.perform(get(PAGE).header("Host", "127.0.0.1:8080")).andExpect(status().isOk());
		});
	}

	@Test
	void whenRemoteRequestsAreAllowedARequestFromAnotherAddressIsAnswered() {
		this.contextRunner.withPropertyValues("gobstopper.tasks.dashboard.allow-remote=true")
			.run(mvc((mvc, storage) -> mvc.perform(get(PAGE).with(from(REMOTE))).andExpect(status().isOk())));
	}

	@Test
	void otherPathsOfTheApplicationAreLeftAlone() {
		run((mvc, storage) -> mvc.perform(get("/elsewhere").with(from(REMOTE))).andExpect(status().isNotFound()));
	}

	@Test
	void whenReadOnlyADeleteIsRefusedAndTheTaskIsKept() {
		run((mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(sameOrigin(post(PAGE + "/api/task/delete").param("id", "t1")))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.error").value("The task dashboard is read-only."));
			mvc.perform(sameOrigin(post(PAGE + "/api/cleanup").param("retention", "1s")))
				.andExpect(status().isForbidden());
			assertThat(storage.getTask("t1")).isPresent();
		});
	}

	@Test
	void whenWritableADeleteFromTheDashboardsOwnPageDeletesTheTask() {
		writable((mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(sameOrigin(post(PAGE + "/api/task/delete").param("id", "t1")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.deleted").value(true));
			assertThat(storage.getTask("t1")).isEmpty();
			mvc.perform(sameOrigin(post(PAGE + "/api/task/delete").param("id", "t1")))
				.andExpect(status().isNotFound());
		});
	}

	@Test
	void whenWritableADeleteFromAnotherSiteIsRefusedAndTheTaskIsKept() {
		writable((mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1").header("Sec-Fetch-Site", "cross-site"))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.error").value("The task dashboard accepts writes from its own page only."));
			mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1").header("Sec-Fetch-Site", "same-site"))
				.andExpect(status().isForbidden());
			mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1").header("Origin", "http://attacker.example"))
				.andExpect(status().isForbidden());
			mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1")).andExpect(status().isForbidden());
			assertThat(storage.getTask("t1")).isPresent();
		});
	}

	@Test
	void whenWritableADeleteFromABrowserThatSendsOnlyItsOriginIsAcceptedFromTheSameOrigin() {
		writable((mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(post(PAGE + "/api/task/delete").param("id", "t1").header("Origin", "http://localhost"))
				.andExpect(status().isOk());
			assertThat(storage.getTask("t1")).isEmpty();
		});
	}

	@Test
	void whenWritableACleanupDeletesTheFinishedTasksOlderThanTheRetention() {
		writable((mvc, storage) -> {
			storage.saveTask(TestTasks.task("old").status(TaskStatus.SUCCESS).completedAt(TestTasks.T0).build());
			storage.saveTask(TestTasks.task("pending").createdAt(TestTasks.T0).build());
			mvc.perform(sameOrigin(post(PAGE + "/api/cleanup").param("retention", "7d")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.deleted").value(1));
			assertThat(storage.getTask("old")).isEmpty();
			assertThat(storage.getTask("pending")).isPresent();
		});
	}

	@Test
	void aCleanupWithoutAPositiveRetentionIsRefusedNamingIt() {
		writable((mvc, storage) -> {
			storage.saveTask(TestTasks.task("old").status(TaskStatus.SUCCESS).completedAt(TestTasks.T0).build());
			for (String retention : new String[] { "0d", "-1d", "soon" }) {
				mvc.perform(sameOrigin(post(PAGE + "/api/cleanup").param("retention", retention)))
					.andExpect(status().isBadRequest())
					.andExpect(jsonPath("$.error").value(containsString(retention)));
			}
			mvc.perform(sameOrigin(post(PAGE + "/api/cleanup")))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error").value(containsString("'retention'")));
			assertThat(storage.getTask("old")).isPresent();
		});
	}

	@Test
	void aListAskedForWithArgumentsOfTheWrongTypeIsRefusedNamingThemInJson() {
		run((mvc, storage) -> mvc.perform(get(PAGE + "/api/tasks").param("limit", "many"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("many"))));
	}

	@Test
	void dataAskedForByAPageOfAnotherSiteIsRefused() {
		run((mvc, storage) -> {
			storage.saveTask(TestTasks.task("t1").build());
			mvc.perform(get(PAGE + "/api/task").param("id", "t1").header("Sec-Fetch-Site", "cross-site"))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.error").value("The task dashboard's data is for its own page only."));
			mvc.perform(get(PAGE + "/api/task").param("id", "t1").header("Sec-Fetch-Site", "same-origin"))
				.andExpect(status().isOk());
			mvc.perform(get(PAGE).header("Sec-Fetch-Site", "cross-site")).andExpect(status().isOk());
		});
	}

	@Test
	void aTasksDetailHasEveryFieldAndItsPayloadsCutTo64KbWithTheirFullSize() {
		run((mvc, storage) -> {
			String big = "x".repeat(100_000);
			TaskInfo task = TestTasks.fullTask("t1").toBuilder().result(Map.of("report", big)).error("é" + big).build();
			storage.saveTask(task);
			mvc.perform(get(PAGE + "/api/task").param("id", "t1"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.name").value("generate_report"))
				.andExpect(jsonPath("$.status").value("failed"))
				.andExpect(jsonPath("$.priority").value(4))
				.andExpect(jsonPath("$.createdAt").value(TestTasks.T0.toString()))
				.andExpect(jsonPath("$.progressMessage").value("rendering charts"))
				.andExpect(jsonPath("$.retryCount").value(3))
				.andExpect(jsonPath("$.args.text").value("[ \"q3\", 2025 ]"))
				.andExpect(jsonPath("$.args.clipped").value(false))
				.andExpect(jsonPath("$.result.clipped").value(true))
				.andExpect(jsonPath("$.result.size").value(100_000 + "{\n  \"report\" : \"\"\n}".length()))
				.andExpect(jsonPath("$.result.text").value(startsWith("{\n  \"report\" : \"xxx")))
				.andExpect(jsonPath("$.error.clipped").value(true))
				.andExpect(jsonPath("$.error.size").value(100_002))
				.andExpect(jsonPath("$.error.text").value(startsWith("éxxx")))
				.andExpect(jsonPath("$.leaseOwner").doesNotExist());
		});
	}

	@Test
	void theTaskListCarriesNoPayloads() {
		run((mvc, storage) -> {
			String payload = "payload-".repeat(100_000);
			for (int i = 0; i < 30; i++) {
				storage.saveTask(TestTasks.fullTask("t" + i).toBuilder()
					.createdAt(TestTasks.T0.plusSeconds(i))
					.result(Map.of("report", payload))
					.error(payload)
					.kwargs(Map.of("input", payload))
					.build());
			}
			String page = mvc.perform(get(PAGE + "/api/tasks").param("status", "failed").param("limit", "25"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.tasks.length()").value(25))
				.andExpect(jsonPath("$.tasks[0].id").value("t29"))
				.andExpect(jsonPath("$.tasks[0].elapsedSeconds").value(2.5))
				.andExpect(jsonPath("$.total").value(30))
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(page).doesNotContain("payload-").hasSizeLessThan(10_000);
		});
	}

	@Test
	void aMissingTaskIsNotFound() {
		run((mvc, storage) -> mvc.perform(get(PAGE + "/api/task").param("id", "nope"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("No task with id 'nope'")));
	}

	@Test
	void thePathPropertyMovesTheDashboard() {
		this.contextRunner.withPropertyValues("gobstopper.tasks.dashboard.path=/ops/tasks")
			.run(mvc((mvc, storage) -> {
				mvc.perform(get("/ops/tasks"))
					.andExpect(status().isOk())
					.andExpect(content().string(containsString("href=\"/ops/tasks/dashboard.css\"")));
				mvc.perform(get("/ops/tasks/dashboard.js")).andExpect(status().isOk());
				mvc.perform(get(PAGE)).andExpect(status().isNotFound());
			}));
	}

	private void run(DashboardTest test) {
		this.contextRunner.run(mvc(test));
	}

	private void writable(DashboardTest test) {
		this.contextRunner.withPropertyValues("gobstopper.tasks.dashboard.read-only=false").run(mvc(test));
	}

	static ContextConsumer<AssertableWebApplicationContext> mvc(DashboardTest test) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			test.run(MockMvcBuilders.webAppContextSetup(context).build(), context.getBean(TaskStorage.class));
		};
	}

	static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	static MockHttpServletRequestBuilder sameOrigin(MockHttpServletRequestBuilder request) {
		return request.header("Sec-Fetch-Site", "same-origin");
	}

	@FunctionalInterface
	interface DashboardTest {

		void run(MockMvc mvc, TaskStorage storage) throws Exception;

	}

}
