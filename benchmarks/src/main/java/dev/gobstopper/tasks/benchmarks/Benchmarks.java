package dev.gobstopper.tasks.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the benchmark: each store in a JVM of its own, one after another, then prints every
 * figure with its ratio to the other stores.
 * <p>
 * Arguments: {@code --smoke} for tiny sizes, {@code --stores=gobstopper,sqlite} to run
 * some stores only, {@code --postgres-url=<jdbc url>} to choose the PostgreSQL (by default
 * {@value Postgres#URL_VARIABLE}, else the local one), and {@code --<size>=<value>} to
 * change one size (see {@link Sizes}).
 */
public final class Benchmarks {

	private final Sizes sizes;

	private final List<Store> stores;

	private final String postgresUrl;

	private final PrintStream out;

	private final PrintStream progress;

	private Benchmarks(Sizes sizes, List<Store> stores, String postgresUrl, PrintStream out, PrintStream progress) {
		this.sizes = sizes;
		this.stores = stores;
		this.postgresUrl = postgresUrl;
		this.out = out;
		this.progress = progress;
	}

	public static void main(String[] args) {
		Report report = run(Arrays.asList(args), System.out, System.err);
		System.exit(report.complete() ? 0 : 1);
	}

	/**
	 * Run the benchmark and print its report.
	 * @param args the command-line arguments
	 * @param out where the report goes
	 * @param progress where progress goes while the stores run
	 * @return the report
	 */
	static Report run(List<String> args, PrintStream out, PrintStream progress) {
		boolean smoke = args.contains("--smoke");
		List<Store> stores = Store.all();
		String postgresUrl = Postgres.defaultUrl();
		List<String> sizeArguments = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--stores=")) {
				stores = Arrays.stream(arg.substring("--stores=".length()).split(",")).map(Store::ofId).toList();
			}
			else if (arg.startsWith("--postgres-url=")) {
				postgresUrl = arg.substring("--postgres-url=".length());
			}
			else if (arg.startsWith("--") && arg.contains("=")) {
				sizeArguments.add(arg.substring(2));
			}
			else if (!arg.equals("--smoke")) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'");
			}
		}
		Sizes sizes = Sizes.parse(smoke ? Sizes.smoke() : Sizes.full(), sizeArguments);
		return new Benchmarks(sizes, stores, postgresUrl, out, progress).run();
	}

	private Report run() {
		Path work;
		try {
			work = Files.createTempDirectory("gobstopper-benchmarks");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<StoreResults> results = new ArrayList<>();
		List<String> jvmOptions = jvmOptions();
		long runId = System.currentTimeMillis();
		try {
			for (Store store : this.stores) {
				Place place = new Place(work.resolve(store.id()), this.postgresUrl, store.tablePrefix(runId));
				results.add(runStore(store, place, jvmOptions));
				if (store.usesPostgres()) {
					dropTables(place);
				}
			}
		}
		finally {
			deleteRecursively(work);
		}
		Report report = new Report(this.sizes, jvmOptions, results);
		report.print(this.out);
		return report;
	}

	private List<String> jvmOptions() {
		return List.of("-Xmx" + this.sizes.heap(), "-XX:+UseG1GC");
	}

	private StoreResults runStore(Store store, Place place, List<String> jvmOptions) {
		StoreResults results = new StoreResults(store);
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(StoreRun.class.getName());
		command.add(store.id());
		command.add(place.dir().toString());
		command.add(place.postgresUrl());
		command.add(place.table());
		command.addAll(this.sizes.toArguments());
		this.progress.println("[" + store.id() + "] starting");
		Process process;
		try {
			process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		}
		catch (IOException ex) {
			results.aborted("could not start its JVM: " + ex);
			return results;
		}
		Thread reader = new Thread(() -> read(process, results), "read-" + store.id());
		reader.setDaemon(true);
		reader.start();
		try {
			if (!process.waitFor(this.sizes.storeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
				reader.join(TimeUnit.SECONDS.toMillis(10));
				synchronized (results) {
					results.aborted("its JVM did not finish within " + this.sizes.storeTimeout() + " and was stopped");
				}
				return results;
			}
			reader.join(TimeUnit.SECONDS.toMillis(30));
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while " + store.id() + " ran", ex);
		}
		synchronized (results) {
			if (!results.done()) {
				results.aborted(
						"its JVM ended with exit code " + process.exitValue() + " before running every workload");
			}
		}
		return results;
	}

	/**
	 * Drop what a store's JVM left in PostgreSQL, if it was stopped before it could.
	 */
	private void dropTables(Place place) {
		try {
			Postgres.dropTables(place.postgresUrl(), place.table());
		}
		catch (Exception ex) {
			this.progress.println("Could not drop the tables " + place.table() + "*: " + ex);
		}
	}

	private void read(Process process, StoreResults results) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String text = lines.readLine(); text != null; text = lines.readLine()) {
				Optional<ResultLine> line = ResultLine.parse(text);
				if (line.isPresent()) {
					synchronized (results) {
						results.add(line.get());
					}
					this.progress.println("[" + results.store().id() + "] " + Report.describe(line.get()));
				}
				else {
					this.progress.println("[" + results.store().id() + "] " + text);
				}
			}
		}
		catch (IOException ex) {
			this.progress.println("[" + results.store().id() + "] output could not be read: " + ex);
		}
	}

	private static void deleteRecursively(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// Left for the operating system's temp cleanup
				}
			});
		}
		catch (IOException ex) {
			// Left for the operating system's temp cleanup
		}
	}

}
