package dev.gobstopper.tasks.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Another JVM on a DuckDB file. DuckDB locks a file per process, so only a second process
 * shows whether the task storage holds or releases the lock.
 * <p>
 * Run as a program, it opens the file given as its second argument and either holds it
 * ({@code hold}) until its standard input closes, or runs the query given as its third
 * argument ({@code query}) and prints the first column of each row.
 */
final class DuckDbChildProcess implements AutoCloseable {

	private static final String LOCKED = "locked";

	private static final String ROW = "row: ";

	private static final long TIMEOUT_SECONDS = 60;

	private final Process process;

	private final List<String> output = new ArrayList<>();

	private DuckDbChildProcess(Process process) {
		this.process = process;
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[1])) {
			if (mode.equals("hold")) {
				System.out.println(LOCKED);
				System.out.flush();
				while (System.in.read() != -1) {
					// Holding the file until the parent closes our input
				}
			}
			else {
				try (Statement statement = connection.createStatement();
						ResultSet rs = statement.executeQuery(args[2])) {
					while (rs.next()) {
						System.out.println(ROW + rs.getString(1));
					}
				}
			}
		}
	}

	/**
	 * Start a process that opens the file and holds its lock until closed.
	 * @param file the DuckDB file
	 * @return the process, holding the lock
	 */
	static DuckDbChildProcess holdLock(Path file) throws IOException, InterruptedException {
		DuckDbChildProcess child = new DuckDbChildProcess(start("hold", file.toString()));
		try {
			child.awaitLine(LOCKED);
			return child;
		}
		catch (IOException | InterruptedException | RuntimeException | AssertionError ex) {
			child.close();
			throw ex;
		}
	}

	/**
	 * Open the file in another process, run a query there and return the first column of
	 * each row.
	 * @param file the DuckDB file
	 * @param sql the query
	 * @return the values, as text
	 */
	static List<String> query(Path file, String sql) throws IOException, InterruptedException {
		try (DuckDbChildProcess child = new DuckDbChildProcess(start("query", file.toString(), sql))) {
			List<String> lines = child.readAll();
			int exit = child.process.exitValue();
			if (exit != 0) {
				throw new AssertionError("The query process exited with " + exit + ":\n" + String.join("\n", lines));
			}
			return lines.stream().filter((line) -> line.startsWith(ROW)).map((line) -> line.substring(ROW.length()))
				.toList();
		}
	}

	long pid() {
		return this.process.pid();
	}

	private static Process start(String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(DuckDbChildProcess.class.getName());
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

	private void awaitLine(String expected) throws IOException, InterruptedException {
		BufferedReader reader = this.process.inputReader();
		CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
			try {
				String line;
				while ((line = reader.readLine()) != null) {
					synchronized (this.output) {
						this.output.add(line);
					}
					if (line.equals(expected)) {
						return true;
					}
				}
				return false;
			}
			catch (IOException ex) {
				return false;
			}
		});
		boolean found;
		try {
			found = seen.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			found = false;
		}
		if (!found) {
			synchronized (this.output) {
				throw new AssertionError("The child process did not print '" + expected + "' within " + TIMEOUT_SECONDS
						+ " s; its output:\n" + String.join("\n", this.output));
			}
		}
	}

	private List<String> readAll() throws IOException, InterruptedException {
		CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
			try (BufferedReader reader = this.process.inputReader()) {
				return reader.lines().toList();
			}
			catch (IOException ex) {
				return List.of("(output unreadable: " + ex + ")");
			}
		});
		if (!this.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			throw new AssertionError("The child process did not finish within " + TIMEOUT_SECONDS + " s");
		}
		try {
			return lines.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("The output of the child process could not be read", ex);
		}
	}

	/**
	 * Let the process end by closing its input, or end it forcibly if it does not.
	 */
	@Override
	public void close() throws IOException, InterruptedException {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// Already gone
		}
		if (!this.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
	}

}
