package dev.gobstopper.tasks.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

/**
 * Debian's headless Chromium, driven by its own chromedriver: nothing is downloaded.
 * Closing it quits the browser, stops the driver and deletes the browser's profile.
 */
final class Browser implements AutoCloseable {

	static final File CHROMIUM = new File("/usr/bin/chromium");

	static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	/** Where the screenshots of the tests are kept, as artifacts of the build. */
	static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

	private final Path profile;

	private final ChromeDriverService service;

	private final ChromeDriver driver;

	Browser() throws IOException {
		if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
			throw new IllegalStateException("The dashboard's tests need Debian's Chromium and its driver at "
					+ CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
		}
		this.profile = Files.createTempDirectory("dashboard-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
				"--user-data-dir=" + this.profile, "--window-size=1280,1100");
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		this.service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
		try {
			this.driver = new ChromeDriver(this.service, options);
		}
		catch (RuntimeException ex) {
			this.service.stop();
			FileSystemUtils.deleteRecursively(this.profile.toFile());
			throw ex;
		}
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * Wait for up to 15 seconds; an element that the page redrew meanwhile is looked up
	 * again.
	 */
	WebDriverWait waiting() {
		WebDriverWait wait = new WebDriverWait(this.driver, Duration.ofSeconds(15));
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

	/**
	 * Click an element, looking it up again if the page redraws it between the look-up and
	 * the click.
	 */
	void click(By locator) {
		waiting().until((driver) -> {
			driver.findElement(locator).click();
			return true;
		});
	}

	/**
	 * Read an attribute, or the text when the attribute is null, of every element that
	 * matches a CSS selector, all at once, so that a redraw cannot come in between.
	 */
	List<String> read(String selector, @Nullable String attribute) {
		@SuppressWarnings("unchecked")
		List<String> values = (List<String>) this.driver.executeScript(
				"return Array.from(document.querySelectorAll(arguments[0]))"
						+ ".map((e) => arguments[1] ? e.getAttribute(arguments[1]) : e.textContent);",
				selector, attribute);
		return values;
	}

	void resize(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	/**
	 * Save a screenshot of the page as {@code target/dashboard-screenshots/<name>.png}.
	 */
	Path screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path target = SCREENSHOTS.resolve(name + ".png");
		Files.copy(this.driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		return target;
	}

	/**
	 * Return the errors the browser's console has shown since the last call: scripts'
	 * exceptions, {@code console.error} and failed requests.
	 */
	List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::toString)
			.toList();
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			this.service.stop();
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

}
