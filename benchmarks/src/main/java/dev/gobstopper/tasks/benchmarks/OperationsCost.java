package dev.gobstopper.tasks.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;
import dev.gobstopper.tasks.autoconfigure.health.TaskStorageHealthContributorAutoConfiguration;
import dev.gobstopper.tasks.autoconfigure.metrics.TaskStorageMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Measures what the actuator integrations cost the application: the
 * {@code gobstopperTasks} health check of a DuckDB store holding many tasks, and
 * {@code saveTask} with and without the metrics bound.
 * <p>
 * Arguments: {@code --tasks=<n>} tasks to load for the health check (1,000,000 by
 * default), {@code --measure=<duration>} per round of saves (5 s by default). Saves run
 * on two stores, one with the metrics bound, in rounds that alternate which goes first,
 * after a warm-up round of each.
 */
public final class OperationsCost {

	private static final int BATCH = 10_000;

	private static final int SAVE_THREADS = 8;

	private static final int ROUNDS = 3;

	private final PrintStream out = System.out;

	private final int tasks;

	private final Duration measure;

	private OperationsCost(int tasks, Duration measure) {
		this.tasks = tasks;
		this.measure = measure;
	}

	public static void main(String[] args) throws Exception {
		int tasks = 1_000_000;
		Duration measure = Duration.ofSeconds(5);
		for (String arg : args) {
			if (arg.startsWith("--tasks=")) {
				tasks = Integer.parseInt(arg.substring("--tasks=".length()));
			}
			else if (arg.startsWith("--measure=")) {
				measure = Duration.parse(arg.substring("--measure=".length()));
			}
			else {
				throw new IllegalArgumentException(
						"Unknown argument '" + arg + "'; use --tasks=<n> or --measure=<duration>");
			}
		}
		Path work = Files.createTempDirectory("gobstopper-operations");
		try {
			OperationsCost cost = new OperationsCost(tasks, measure);
			cost.healthCheck(work.resolve("health.duckdb"));
			cost.saves(work.resolve("plain.duckdb"), work.resolve("metered.duckdb"));
			cost.timerRecord();
		}
		finally {
			delete(work);
		}
	}

	private void healthCheck(Path file) throws InterruptedException {
		try (ConfigurableApplicationContext context = context(file)) {
			TaskStorage storage = context.getBean(TaskStorage.class);
			long start = System.nanoTime();
			TaskGenerator generator = new TaskGenerator(this.tasks, Instant.now());
			for (int from = 0; from < this.tasks; from += BATCH) {
				storage.saveTasks(generator.loaded(from, Math.min(this.tasks, from + BATCH)));
			}
			this.out.printf("loaded %,d tasks in %.1f s%n", this.tasks, (System.nanoTime() - start) / 1e9);
			HealthIndicator health = context.getBean("gobstopperTasksHealthIndicator", HealthIndicator.class);
			this.out.println("first check: " + health.health());
			List<Long> cached = new ArrayList<>();
			for (int i = 0; i < 2_000; i++) {
				cached.add(timed(health));
			}
			this.out.println("health check, oldest pending task cached (2,000 checks): " + describe(cached));
			List<Long> refreshed = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				Thread.sleep(5_100);
				refreshed.add(timed(health));
			}
			this.out.println("health check, oldest pending task out of date (5 checks, 5.1 s apart, each starts "
					+ "a look-up in the background): " + describe(refreshed));
			List<Long> lookups = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				long lookup = System.nanoTime();
				storage.getOldestTaskSummaries(TaskStatus.PENDING, 1);
				lookups.add(System.nanoTime() - lookup);
			}
			this.out.println("the look-up of the oldest pending task alone (50 look-ups): " + describe(lookups));
		}
	}

	private void saves(Path plainFile, Path meteredFile) throws Exception {
		try (ConfigurableApplicationContext plain = context(plainFile);
				ConfigurableApplicationContext metered = context(meteredFile)) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new TaskStorageMetrics(metered.getBean(TaskStorage.class)).bindTo(registry);
			TaskStorage withoutMetrics = plain.getBean(TaskStorage.class);
			TaskStorage withMetrics = metered.getBean(TaskStorage.class);
			savesPerSecond(withoutMetrics);
			savesPerSecond(withMetrics);
			for (int round = 1; round <= ROUNDS; round++) {
				// Alternate which store goes first, so that neither always runs on a warmer machine
				boolean plainFirst = round % 2 == 1;
				double first = savesPerSecond(plainFirst ? withoutMetrics : withMetrics);
				double second = savesPerSecond(plainFirst ? withMetrics : withoutMetrics);
				this.out.printf("saveTask from %d threads, round %d: without metrics %,.0f saves/s, "
						+ "with metrics %,.0f saves/s%n", SAVE_THREADS, round, plainFirst ? first : second,
						plainFirst ? second : first);
			}
			Timer timer = registry.get("gobstopper.tasks.saves").tag("outcome", "success").timer();
			this.out.printf("saves the metered store recorded, warm-up included: %,d, mean %.2f ms%n", timer.count(),
					timer.mean(TimeUnit.MILLISECONDS));
		}
	}

	private double savesPerSecond(TaskStorage storage) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(SAVE_THREADS);
		AtomicBoolean stop = new AtomicBoolean();
		List<Future<Integer>> counts = new ArrayList<>();
		for (int t = 0; t < SAVE_THREADS; t++) {
			SplittableRandom random = new SplittableRandom(t);
			counts.add(threads.submit(() -> {
				int saves = 0;
				while (!stop.get()) {
					storage.saveTask(TaskGenerator.pending(random));
					saves++;
				}
				return saves;
			}));
		}
		long start = System.nanoTime();
		Thread.sleep(this.measure.toMillis());
		stop.set(true);
		long total = 0;
		for (Future<Integer> count : counts) {
			total += count.get();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		threads.shutdown();
		return total / seconds;
	}

	/**
	 * Time what the metrics add to each call: one timer update.
	 */
	private void timerRecord() {
		Timer timer = Timer.builder("cost").register(new SimpleMeterRegistry());
		int records = 10_000_000;
		for (int i = 0; i < records; i++) {
			timer.record(i, TimeUnit.NANOSECONDS);
		}
		long start = System.nanoTime();
		for (int i = 0; i < records; i++) {
			timer.record(i, TimeUnit.NANOSECONDS);
		}
		this.out.printf("one timer update: %.0f ns (mean of %,d)%n", (System.nanoTime() - start) / (double) records,
				records);
	}

	private static long timed(HealthIndicator health) {
		long start = System.nanoTime();
		health.health();
		return System.nanoTime() - start;
	}

	private static String describe(List<Long> nanos) {
		long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
		return String.format("median %.2f ms, p99 %.2f ms, max %.2f ms", sorted[sorted.length / 2] / 1e6,
				sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
				sorted[sorted.length - 1] / 1e6);
	}

	private static ConfigurableApplicationContext context(Path file) {
		return new SpringApplicationBuilder(Storage.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("gobstopper.tasks.db-path=" + file, "gobstopper.tasks.cleanup.enabled=false",
					"gobstopper.tasks.leases.reclaim-enabled=false")
			.run();
	}

	private static void delete(Path dir) throws IOException {
		try (var paths = Files.walk(dir)) {
			for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
				Files.delete(path);
			}
		}
	}

	/**
	 * The starter's storage and health check, as an application gets them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskStorageAutoConfiguration.class,
			TaskStorageHealthContributorAutoConfiguration.class })
	static class Storage {

	}

}
