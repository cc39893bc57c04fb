package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskNameStatistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every store answers the statistics workloads alike on the same tasks: the peers' plain
 * SQL (and SQLite's percentiles computed in Java) compute what this project's stores do,
 * so the benchmark compares the same work.
 */
class StatisticsAgreementTests {

	private static final int TASKS = 2_000;

	private static final Instant SINCE = Instant.now().minus(Duration.ofDays(30));

	@TempDir
	static Path dir;

	/** What each store answered, in the order of the stores. */
	private static final Map<Store, Answers> answers = new LinkedHashMap<>();

	private static final long RUN = System.currentTimeMillis();

	@BeforeAll
	static void loadTheSameTasksIntoEveryStore() throws Exception {
		TaskGenerator generator = new TaskGenerator(TASKS, Instant.now());
		for (Store store : Store.all()) {
			Place place = new Place(dir.resolve(store.id()), Postgres.defaultUrl(), store.tablePrefix(RUN));
			try (BenchStore bench = store.open(place)) {
				bench.bulkLoad(generator.loaded(0, TASKS));
				answers.put(store, new Answers(bench.countTasks(null), bench.statisticsByName(SINCE),
						bench.completionsOverTime(SINCE, Duration.ofHours(1))));
			}
		}
	}

	@AfterAll
	static void dropThePostgresTables() throws Exception {
		for (Store store : Store.all()) {
			if (store.usesPostgres()) {
				Postgres.dropTables(Postgres.defaultUrl(), store.tablePrefix(RUN));
			}
		}
	}

	@Test
	void everyStoreCountsTheSameTasksPerStatus() {
		TaskCounts expected = answers.get(Store.GOBSTOPPER).counts();
		assertThat(expected.total()).isEqualTo(TASKS);
		answers.forEach((store, answer) -> assertThat(answer.counts()).as(store.id()).isEqualTo(expected));
	}

	@Test
	void everyStoreDescribesTheSameNamesWithTheSamePercentiles() {
		List<TaskNameStatistics> expected = sorted(answers.get(Store.GOBSTOPPER).statistics());
		assertThat(expected).hasSize(36);
		answers.forEach((store, answer) -> {
			List<TaskNameStatistics> actual = sorted(answer.statistics());
			assertThat(actual).as(store.id()).hasSameSizeAs(expected);
			for (int i = 0; i < expected.size(); i++) {
				TaskNameStatistics want = expected.get(i);
				TaskNameStatistics got = actual.get(i);
				String what = store.id() + " " + want.name();
				assertThat(got.name()).as(what).isEqualTo(want.name());
				assertThat(got.category()).as(what).isEqualTo(want.category());
				assertThat(List.of(got.total(), got.succeeded(), got.failed(), got.cancelled())).as(what)
					.isEqualTo(List.of(want.total(), want.succeeded(), want.failed(), want.cancelled()));
				assertThat(got.failureRate()).as(what).isCloseTo(want.failureRate(), within(1e-9));
				assertThat(got.meanRetries()).as(what).isCloseTo(want.meanRetries(), within(1e-9));
				// Rounded to the microsecond from doubles that may differ in their last bits
				for (Duration[] pair : new Duration[][] { { got.p50(), want.p50() }, { got.p95(), want.p95() },
						{ got.p99(), want.p99() }, { got.max(), want.max() } }) {
					assertThat(pair[0].minus(pair[1]).abs()).as(what).isLessThanOrEqualTo(Duration.ofNanos(1_000));
				}
			}
		});
	}

	@Test
	void everyStoreCountsTheSameCompletionsPerHour() {
		Map<Instant, TaskCompletionBucket> expected = nonEmpty(answers.get(Store.GOBSTOPPER).completions());
		assertThat(expected).isNotEmpty();
		answers.forEach((store, answer) -> {
			assertThat(answer.completions().size()).as(store.id()).isBetween(720, 722);
			assertThat(nonEmpty(answer.completions())).as(store.id()).isEqualTo(expected);
		});
	}

	private static List<TaskNameStatistics> sorted(List<TaskNameStatistics> statistics) {
		return statistics.stream()
			.sorted(Comparator.comparing(TaskNameStatistics::name).thenComparing(TaskNameStatistics::category))
			.toList();
	}

	private static Map<Instant, TaskCompletionBucket> nonEmpty(List<TaskCompletionBucket> buckets) {
		Map<Instant, TaskCompletionBucket> nonEmpty = new LinkedHashMap<>();
		for (TaskCompletionBucket bucket : buckets) {
			if (bucket.total() > 0) {
				nonEmpty.put(bucket.start(), bucket);
			}
		}
		return nonEmpty;
	}

	private record Answers(TaskCounts counts, List<TaskNameStatistics> statistics,
			List<TaskCompletionBucket> completions) {

	}

}
