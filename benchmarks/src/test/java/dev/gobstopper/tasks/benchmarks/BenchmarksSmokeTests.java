package dev.gobstopper.tasks.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the benchmark at tiny sizes, each store in its own JVM as in a full run, to keep
 * every workload working. Speed is not checked. Linux only: each store's peak memory is
 * read from {@code /proc}.
 */
@EnabledOnOs(OS.LINUX)
class BenchmarksSmokeTests {

	@Test
	@Timeout(value = 10, unit = TimeUnit.MINUTES)
	void aSmokeRunReportsEveryWorkloadForEveryStore() {
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		Report report;
		try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
			report = Benchmarks.run(List.of("--smoke"), out, System.out);
		}
		String output = printed.toString(StandardCharsets.UTF_8);
		System.out.println(output);
		assertThat(report.results()).extracting(StoreResults::store).containsExactlyElementsOf(Store.all());
		for (StoreResults store : report.results()) {
			assertThat(store.failures()).as("failed workloads of %s", store.store().id()).isEmpty();
			assertThat(store.problems()).as("problems seen in %s", store.store().id()).isEmpty();
			assertThat(store.figures().keySet()).as("workloads of %s", store.store().id())
				.containsExactlyInAnyOrderElementsOf(store.store().workloads());
			assertThat(store.engine()).as("engine of %s", store.store().id()).isNotEqualTo("?");
		}
		assertThat(report.complete()).isTrue();
		for (Workload workload : Workload.values()) {
			assertThat(output).contains(workload.title(Sizes.smoke()));
		}
		for (Store store : Store.all()) {
			assertThat(output).contains("vs " + store.id());
		}
	}

}
