package dev.gobstopper.tasks.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;

/**
 * Opens a storage, waits for "go" on its input (the test limits the process's file size
 * meanwhile), then saves tasks until a save fails. It prints "ack &lt;n&gt;" for each save
 * acknowledged, "failed &lt;n&gt; &lt;class&gt; &lt;message&gt;" and the cause chain for the failure,
 * the outcome of three more saves and a read, then closes the storage and prints "closed".
 * <p>
 * Each task carries {@link #SECRET} in its result, args, kwargs and error: the test checks
 * that no message or log line repeats it.
 */
final class DiskFullWriter {

	static final String SECRET = "users-private-data-7f3a";

	private static final int MOST_SAVES = 10_000;

	private DiskFullWriter() {
	}

	public static void main(String[] args) throws Exception {
		DuckDbTaskStorage storage = DuckDbTaskStorage.builder(new DuckDBDataSource("jdbc:duckdb:" + args[0])).build();
		System.out.println("ready");
		new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
		for (int n = 0; n < MOST_SAVES; n++) {
			try {
				storage.saveTask(task(n));
				System.out.println("ack " + n);
			}
			catch (RuntimeException ex) {
				System.out.println("failed " + n + " " + describe(ex));
				for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
					System.out.println("cause " + describe(cause));
				}
				for (int after = n + 1; after <= n + 3; after++) {
					try {
						storage.saveTask(task(after));
						System.out.println("after-ack " + after);
					}
					catch (RuntimeException again) {
						System.out.println("after-failed " + after + " " + describe(again));
					}
				}
				try {
					System.out.println("read " + storage.getTask(task(0).id()).isPresent());
				}
				catch (RuntimeException unreadable) {
					System.out.println("read-failed " + describe(unreadable));
				}
				storage.close();
				System.out.println("closed");
				return;
			}
		}
		System.out.println("no save failed");
		System.exit(2);
	}

	private static String describe(Throwable ex) {
		return ex.getClass().getName() + " " + String.valueOf(ex.getMessage()).replace('\n', ' ');
	}

	/**
	 * Return task n: some 20 KB of text that does not compress, with the secret.
	 */
	static TaskInfo task(int n) {
		Random random = new Random(n);
		byte[] noise = new byte[5_000];
		random.nextBytes(noise);
		String text = HexFormat.of().formatHex(noise);
		return TaskInfo.builder()
			.id("disk-" + n)
			.name("disk-full-test")
			.category("disk")
			.status(TaskStatus.FAILED)
			.createdAt(Instant.parse("2025-06-01T00:00:00Z").plusSeconds(n))
			.completedAt(Instant.parse("2025-06-01T00:00:10Z").plusSeconds(n))
			.result(Map.of("secret", SECRET, "text", text))
			.error("failed with " + SECRET)
			.args(List.of(SECRET, n))
			.kwargs(Map.of("secret", SECRET, "n", n, "more", text.substring(0, 5_000)))
			.build();
	}

}
