package dev.gobstopper.tasks.autoconfigure.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Cleanup;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Counts;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Deleted;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Detail;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Hour;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.NameStatistics;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Overview;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Page;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Problem;
import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Summary;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The dashboard's JSON API over the {@link TaskStorage}. Listings read task summaries
 * only: a task's payloads are read when its detail is asked for, one task at a time. The
 * writes are refused by {@link TaskDashboardGuard} unless the dashboard is writable.
 */
@Controller
@RequestMapping(TaskDashboardAutoConfiguration.PATH + "/api")
class TaskDashboardApiController {

	private static final Log logger = LogFactory.getLog(TaskDashboardApiController.class);

	/** The hours of the completions chart, the current one included. */
	static final int HOURS = 24;

	/** The most pending tasks listed as waiting longest. */
	static final int OLDEST_PENDING = 10;

	/** The most tasks on one page of the list. */
	static final int MAX_PAGE = 200;

	private static final String STATUS_VALUES = Arrays.stream(TaskStatus.values())
		.map(TaskStatus::value)
		.collect(Collectors.joining(", "));

	private final TaskStorage storage;

	private final Clock clock;

	TaskDashboardApiController(TaskStorage storage, Clock clock) {
		this.storage = storage;
		this.clock = clock;
	}

	@GetMapping("/overview")
	ResponseEntity<byte[]> overview() {
		Instant now = this.clock.instant();
		Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
		Overview overview = new Overview(now.toString(), Counts.of(this.storage.countTasks(null)),
				this.storage.completionsOverTime(firstHour, Duration.ofHours(1), null).stream().map(Hour::of).toList(),
				this.storage.statisticsByName(now.minus(Duration.ofHours(HOURS)))
					.stream()
					.map(NameStatistics::of)
					.toList(),
				this.storage.getOldestTaskSummaries(TaskStatus.PENDING, OLDEST_PENDING)
					.stream()
					.map(Summary::of)
					.toList());
		return DashboardJson.response(HttpStatus.OK, overview);
	}

	@GetMapping("/tasks")
	ResponseEntity<byte[]> tasks(@RequestParam(required = false) @Nullable String category,
			@RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "0") int offset,
			@RequestParam(defaultValue = "25") int limit) {
		if (limit < 1 || limit > MAX_PAGE) {
			throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", got " + limit);
		}
		String inCategory = StringUtils.hasText(category) ? category : null;
		TaskStatus inStatus = parseStatus(status);
		TaskCounts counts = this.storage.countTasks(inCategory);
		Page page = new Page(this.storage.getTaskSummaries(inCategory, inStatus, limit, offset)
			.stream()
			.map(Summary::of)
			.toList(), offset, limit, (inStatus != null) ? counts.count(inStatus) : counts.total());
		return DashboardJson.response(HttpStatus.OK, page);
	}

	@GetMapping("/task")
	ResponseEntity<byte[]> task(@RequestParam String id) {
		return this.storage.getTask(id)
			.map((task) -> DashboardJson.response(HttpStatus.OK, Detail.of(task)))
			.orElseGet(() -> DashboardJson.response(HttpStatus.NOT_FOUND, new Problem("No task with id '" + id + "'")));
	}

	@PostMapping("/task/delete")
	ResponseEntity<byte[]> delete(@RequestParam String id, HttpServletRequest request) {
		if (!this.storage.deleteTask(id)) {
			return DashboardJson.response(HttpStatus.NOT_FOUND, new Problem("No task with id '" + id + "'"));
		}
		logger.info("Deleted task '" + id + "' from the task dashboard, for " + who(request));
		return DashboardJson.response(HttpStatus.OK, new Deleted(true));
	}

	@PostMapping("/cleanup")
	ResponseEntity<byte[]> cleanup(@RequestParam String retention, HttpServletRequest request) {
		Duration keep = DurationStyle.detectAndParse(retention);
		if (keep.isNegative() || keep.isZero()) {
			throw new IllegalArgumentException("retention must be positive, got '" + retention + "'");
		}
		int deleted = this.storage.cleanupOldTasks(keep);
		logger.info("Deleted " + deleted + " task(s) finished more than " + keep + " ago from the task dashboard, for "
				+ who(request));
		return DashboardJson.response(HttpStatus.OK, new Cleanup(deleted));
	}

	@ExceptionHandler({ IllegalArgumentException.class, MissingServletRequestParameterException.class,
			MethodArgumentTypeMismatchException.class })
	ResponseEntity<byte[]> badRequest(Exception ex) {
		return DashboardJson.response(HttpStatus.BAD_REQUEST, new Problem(String.valueOf(ex.getMessage())));
	}

	@ExceptionHandler(TaskStorageException.class)
	ResponseEntity<byte[]> storageFailed(TaskStorageException ex) {
		return DashboardJson.response(HttpStatus.SERVICE_UNAVAILABLE, new Problem(String.valueOf(ex.getMessage())));
	}

	private static String who(HttpServletRequest request) {
		String user = request.getRemoteUser();
		return ((user != null) ? user + " at " : "") + request.getRemoteAddr();
	}

	private static @Nullable TaskStatus parseStatus(@Nullable String status) {
		if (!StringUtils.hasText(status)) {
			return null;
		}
		String value = status.toLowerCase(Locale.ROOT);
		return Arrays.stream(TaskStatus.values())
			.filter((candidate) -> candidate.value().equals(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"status must be one of " + STATUS_VALUES + ", got '" + status + "'"));
	}

}
