package dev.gobstopper.tasks.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application's task dashboard with its actions turned on, in a real headless
 * Chromium: each write is confirmed in the page first, and then done in the store.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gobstopper.tasks.dashboard.enabled=true", "gobstopper.tasks.dashboard.read-only=false",
				"gobstopper.tasks.cleanup.enabled=false" })
@DirtiesContext
@Timeout(120)
class DashboardActionsBrowserTests {

	@TempDir
	static Path dir;

	private static Browser browser;

	private final TaskStorage storage;

	private final String page;

	DashboardActionsBrowserTests(@LocalServerPort int port, @Autowired TaskStorage storage) {
		this.storage = storage;
		this.page = "http://localhost:" + port + "/gobstopper/tasks";
	}

	@DynamicPropertySource
	static void taskDatabase(DynamicPropertyRegistry registry) {
		registry.add("gobstopper.tasks.db-path", () -> dir.resolve("tasks.duckdb").toString());
	}

	@BeforeAll
	static void startBrowser() throws IOException {
		browser = new Browser();
	}

	@AfterAll
	static void quitBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void fillTheStore() {
		for (TaskInfo task : this.storage.getTasks(null, null, 1000, 0)) {
			this.storage.deleteTask(task.id());
		}
		new DashboardTasks(this.storage);
	}

	@AfterEach
	void noJavaScriptErrors() {
		assertThat(browser.consoleErrors()).as("errors in the browser's console").isEmpty();
	}

	@Test
	void deletingATaskAsksForConfirmationThenRemovesItFromTheStore() throws IOException {
		open();
		TaskInfo task = this.storage.getTasks(null, TaskStatus.FAILED, 1, 0).get(0);
		browser.click(By.cssSelector("#list button[data-task-id='" + task.id() + "']"));
		WebElement delete = browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("delete")));
		delete.click();
		WebElement confirm = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
		assertThat(confirm.getText()).contains("Delete task " + task.id() + "?");
		browser.screenshot("confirm-delete");
		driver().findElement(By.id("confirm-cancel")).click();
		browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
		assertThat(this.storage.getTask(task.id())).as("kept when the deletion is cancelled").isPresent();

		delete.click();
		browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
		browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
		assertThat(this.storage.getTask(task.id())).isEmpty();
		browser.waiting()
			.until(ExpectedConditions.invisibilityOfElementLocated(
					By.cssSelector("#list button[data-task-id='" + task.id() + "']")));
		browser.screenshot("after-delete");
	}

	@Test
	void cleaningUpAsksForConfirmationThenDeletesTheFinishedTasksOlderThanTheRetention() throws IOException {
		Instant longAgo = Instant.now().minus(Duration.ofDays(45));
		TaskInfo old = TaskInfo.builder()
			.name("send_email")
			.category("email")
			.status(TaskStatus.SUCCESS)
			.createdAt(longAgo)
			.startedAt(longAgo)
			.completedAt(longAgo.plusSeconds(2))
			.elapsedSeconds(2)
			.build();
		TaskInfo oldButPending = TaskInfo.builder().name("send_email").category("email").createdAt(longAgo).build();
		this.storage.saveTasks(List.of(old, oldButPending));
		long before = this.storage.countTasks(null).total();
		open();
		WebElement retention = driver().findElement(By.id("retention"));
		retention.clear();
		retention.sendKeys("30");
		driver().findElement(By.cssSelector("#cleanup button[type=submit]")).click();
		WebElement confirm = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
		assertThat(confirm.getText()).contains("more than 30 days ago");
		browser.screenshot("confirm-cleanup");
		driver().findElement(By.id("confirm-ok")).click();
		browser.waiting()
			.until(ExpectedConditions.textToBe(By.id("cleanup-result"), "Deleted 1 task(s)."));
		assertThat(this.storage.getTask(old.id())).isEmpty();
		assertThat(this.storage.getTask(oldButPending.id())).isPresent();
		assertThat(this.storage.countTasks(null).total()).isEqualTo(before - 1);
	}

	private void open() {
		browser.resize(1280, 1100);
		driver().get(this.page);
		browser.waiting().until((driver) -> driver.findElement(By.tagName("body")).getDomAttribute("data-loaded") != null);
		assertThat(driver().findElement(By.id("maintenance")).isDisplayed()).isTrue();
	}

	private static ChromeDriver driver() {
		return browser.driver();
	}

}
