package dev.gobstopper.tasks.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task dashboard of the sample application, read-only as it is by default, in a real
 * headless Chromium: what it shows matches the store, and it offers no write.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gobstopper.tasks.dashboard.enabled=true", "gobstopper.tasks.cleanup.enabled=false" })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class DashboardBrowserTests {

	@TempDir
	static Path dir;

	private static Browser browser;

	private static DashboardTasks tasks;

	private final TaskStorage storage;

	private final String page;

	DashboardBrowserTests(@LocalServerPort int port, @Autowired TaskStorage storage) {
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
	void openDashboard() {
		if (tasks == null) {
			tasks = new DashboardTasks(this.storage);
		}
		browser.resize(1280, 1100);
		driver().get(this.page);
		awaitLoaded(0);
	}

	@AfterEach
	void noJavaScriptErrors() {
		assertThat(browser.consoleErrors()).as("errors in the browser's console").isEmpty();
	}

	@Test
	@Order(1)
	void theCardsShowTheStoresCountPerStatus() throws IOException {
		TaskCounts counts = this.storage.countTasks(null);
		assertThat(counts.total()).isEqualTo(tasks.saved.size());
		assertThat(cardCount("total")).isEqualTo(counts.total());
		for (TaskStatus status : TaskStatus.values()) {
			assertThat(cardCount(status.value())).as(status.value()).isEqualTo(counts.count(status)).isPositive();
		}
		browser.resize(1280, 1900);
		driver().navigate().refresh();
		awaitLoaded(0);
		browser.screenshot("overview");
	}

	@Test
	@Order(2)
	void theChartHasOneStackedBarGroupPerHourOfTheLastDay() {
		List<String> starts = browser.read("#chart svg g.hour", "data-start");
		List<Long> succeeded = numbers(browser.read("#chart svg g.hour", "data-succeeded"));
		List<Long> failed = numbers(browser.read("#chart svg g.hour", "data-failed"));
		assertThat(starts).hasSize(24);
		assertThat(browser.read("#chart svg g.hour > rect.succeeded + rect.failed", null)).hasSize(24);
		// The hour may have turned since the page was drawn: compare its 24 hours
		List<TaskCompletionBucket> buckets = this.storage
			.completionsOverTime(Instant.parse(starts.get(0)), Duration.ofHours(1), null)
			.subList(0, starts.size());
		assertThat(starts).containsExactlyElementsOf(buckets.stream().map((bucket) -> bucket.start().toString()).toList());
		assertThat(succeeded).containsExactlyElementsOf(buckets.stream().map(TaskCompletionBucket::succeeded).toList());
		assertThat(failed).containsExactlyElementsOf(buckets.stream().map(TaskCompletionBucket::failed).toList());
		assertThat(succeeded.stream().mapToLong(Long::longValue).sum()).isEqualTo(tasks.succeeded);
		assertThat(failed.stream().mapToLong(Long::longValue).sum()).isEqualTo(tasks.failed);
	}

	@Test
	@Order(3)
	void theStatisticsTableHasARowPerTaskNameAndThePendingTableTheOldestFirst() {
		assertThat(browser.read("#names tbody tr td:first-child", null)).containsExactlyInAnyOrderElementsOf(
				this.storage.statisticsByName(Instant.now().minus(Duration.ofDays(1)))
					.stream()
					.map(TaskNameStatistics::name)
					.toList());
		assertThat(browser.read("#pending tbody button[data-task-id]", "data-task-id")).containsExactlyElementsOf(
				this.storage.getOldestTaskSummaries(TaskStatus.PENDING, 10).stream().map(TaskSummary::id).toList());
	}

	@Test
	@Order(4)
	void filteringByStatusNarrowsTheList() throws IOException {
		assertThat(listStatuses()).hasSize(25);
		new Select(driver().findElement(By.id("status"))).selectByValue("failed");
		awaitListOf("failed", tasks.failed);
		assertThat(driver().findElement(By.id("range")).getText()).isEqualTo("1–" + tasks.failed + " of " + tasks.failed);
		browser.screenshot("filtered-by-failed");
		browser.click(By.cssSelector("button.card[data-status=pending]"));
		awaitListOf("pending", (int) this.storage.countTasks(null).count(TaskStatus.PENDING));
	}

	@Test
	@Order(5)
	void openingAFailedTaskShowsItsErrorAndEveryFieldButNoAction() throws IOException {
		TaskInfo failed = tasks.firstFailed();
		new Select(driver().findElement(By.id("status"))).selectByValue("failed");
		awaitListOf("failed", tasks.failed);
		browser.click(By.cssSelector("#list button[data-task-id='" + failed.id() + "']"));
		WebElement error = browser.waiting()
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail pre.error")));
		assertThat(error.getDomProperty("textContent")).isEqualTo(DashboardTasks.ERROR);
		assertThat(field("id")).isEqualTo(failed.id());
		assertThat(field("status")).isEqualTo("failed");
		assertThat(field("progressMessage")).isEqualTo("step 2 of 5");
		assertThat(driver().findElements(By.cssSelector("#detail dd[data-field]"))).hasSize(22);
		assertThat(driver().findElement(By.id("detail-body")).getText()).contains("\"customer\" : \"c-");
		browser.screenshot("failed-task");
		assertThat(driver().findElement(By.id("delete")).isDisplayed()).isFalse();
		driver().findElement(By.id("detail")).sendKeys(Keys.ESCAPE);
		browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
	}

	@Test
	@Order(6)
	void readOnlyTheDashboardOffersNoActionAndRefusesAPostToTheActionUrl() throws Exception {
		assertThat(driver().findElement(By.id("maintenance")).isDisplayed()).isFalse();
		assertThat(driver().findElements(By.cssSelector("button.danger")))
			.allSatisfy((button) -> assertThat(button.isDisplayed()).isFalse());
		TaskInfo task = tasks.firstFailed();
		HttpResponse<String> response = post(this.page + "/api/task/delete?id=" + task.id());
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("{\"error\":\"The task dashboard is read-only.\"}");
		assertThat(post(this.page + "/api/cleanup?retention=1s").statusCode()).isEqualTo(403);
		assertThat(this.storage.getTask(task.id())).isPresent();
		assertThat(this.storage.countTasks(null).total()).isEqualTo(tasks.saved.size());
	}

	@Test
	@Order(7)
	void theDashboardRefreshesItselfUntilPaused() {
		TaskInfo added = TaskInfo.builder().name("late_arrival").category("email").build();
		this.storage.saveTask(added);
		long pending = this.storage.countTasks(null).count(TaskStatus.PENDING);
		browser.waiting().withTimeout(Duration.ofSeconds(12)).until((driver) -> cardCount("pending") == pending);
		WebElement pause = driver().findElement(By.id("pause"));
		pause.click();
		assertThat(pause.getDomAttribute("aria-pressed")).isEqualTo("true");
		assertThat(pause.getText()).isEqualTo("Resume");
		// A refresh already on its way when the page was paused still draws
		browser.waiting().until((driver) -> body().getDomAttribute("aria-busy") == null);
		int loaded = loaded();
		this.storage.deleteTask(added.id());
		sleep(Duration.ofMillis(6500));
		assertThat(loaded()).isEqualTo(loaded);
		assertThat(cardCount("pending")).isEqualTo(pending);
		pause.click();
		awaitLoaded(loaded);
		assertThat(cardCount("pending")).isEqualTo(pending - 1);
	}

	@Test
	@Order(8)
	void everyControlIsReachableWithTheKeyboard() {
		Set<String> reached = new LinkedHashSet<>();
		Actions keyboard = new Actions(driver());
		for (int i = 0; i < 80; i++) {
			keyboard.sendKeys(Keys.TAB).perform();
			String key = (String) driver()
				.executeScript("const e = document.activeElement; return e.id || e.dataset.key || null;");
			if (key != null) {
				reached.add(key.startsWith("list-") ? "list-task" : key.startsWith("pending-") ? "pending-task" : key);
			}
		}
		assertThat(reached).contains("pause", "card-total", "card-failed", "category", "status", "pending-task",
				"list-task", "next");
		String id = (String) driver().executeScript(
				"const b = document.querySelector('#list button[data-task-id]'); b.focus(); return b.dataset.taskId;");
		keyboard.sendKeys(Keys.ENTER).perform();
		browser.waiting()
			.until(ExpectedConditions.textToBe(By.cssSelector("#detail dd[data-field=id]"), id));
		keyboard.sendKeys(Keys.ESCAPE).perform();
		browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
	}

	@Test
	@Order(9)
	void onAPhoneThePageFitsTheScreensWidth() throws IOException {
		browser.resize(390, 844);
		driver().navigate().refresh();
		awaitLoaded(0);
		Long overflow = (Long) driver()
			.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
		assertThat(overflow).isLessThanOrEqualTo(0L);
		browser.screenshot("phone");
	}

	private static ChromeDriver driver() {
		return browser.driver();
	}

	private static long cardCount(String status) {
		String text = browser.read("button.card[data-status='" + status + "'] .count", null).get(0);
		return Long.parseLong(text.replaceAll("[^0-9]", ""));
	}

	private static List<Long> numbers(List<String> texts) {
		return texts.stream().map(Long::valueOf).toList();
	}

	private static String field(String name) {
		return driver().findElement(By.cssSelector("#detail dd[data-field='" + name + "']")).getText();
	}

	private static List<String> listStatuses() {
		return browser.read("#list tbody tr[data-status]", "data-status");
	}

	private static int loaded() {
		String loaded = body().getDomAttribute("data-loaded");
		return (loaded != null) ? Integer.parseInt(loaded) : 0;
	}

	private static WebElement body() {
		return driver().findElement(By.tagName("body"));
	}

	/**
	 * Wait until the list shows the given number of tasks, all with the given status: a
	 * refresh begun before the filter changed may draw the unfiltered list first.
	 */
	private static void awaitListOf(String status, int size) {
		browser.waiting().until((driver) -> {
			List<String> statuses = listStatuses();
			return statuses.size() == size && statuses.stream().allMatch(status::equals);
		});
	}

	/**
	 * Wait until the page has drawn what it read from the server more often than the given
	 * number of times.
	 */
	static void awaitLoaded(int times) {
		browser.waiting().until((driver) -> loaded() > times);
	}

	private static HttpResponse<String> post(String url) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.POST(HttpRequest.BodyPublishers.noBody())
			.header("Origin", url.substring(0, url.indexOf('/', "http://".length())))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
