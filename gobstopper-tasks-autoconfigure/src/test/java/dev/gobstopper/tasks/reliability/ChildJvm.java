package dev.gobstopper.tasks.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from the test class path to run one of the tests' main classes, with its
 * standard output and error read line by line.
 */
public final class ChildJvm implements AutoCloseable {

	private static final String END = new String("end of output");

	private final Process process;

	private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();

	private final List<String> lines = new ArrayList<>();

	private final Thread reader;

	private boolean ended;

	private ChildJvm(Process process) {
		this.process = process;
		this.reader = new Thread(this::read, "child-jvm-output-" + process.pid());
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start a JVM running the main class.
	 * @param workDir a folder of the test's own: the child's temporary files go there, so
	 * that what a killed child leaves behind (DuckDB unpacks its native library into the
	 * temporary folder) is deleted with the test's folder
	 */
	public static ChildJvm start(Path workDir, Class<?> main, String... args) {
		return start(List.of(), workDir, main, args);
	}

	/**
	 * Start a JVM running the main class, with SIGXFSZ ignored so that a write beyond a file
	 * size limit fails with EFBIG instead of killing the process.
	 */
	static ChildJvm startIgnoringFileSizeSignal(Path workDir, Class<?> main, String... args) {
		return start(List.of("bash", "-c", "trap '' XFSZ; exec \"$@\"", "child"), workDir, main, args);
	}

	private static ChildJvm start(List<String> prefix, Path workDir, Class<?> main, String... args) {
		try {
			Path tmp = Files.createDirectories(workDir.resolve("child-tmp"));
			List<String> command = new ArrayList<>(prefix);
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.add("-Xmx512m");
			command.add("-XX:+UseSerialGC");
			command.add("-XX:TieredStopAtLevel=1");
			command.add("-Djava.io.tmpdir=" + tmp);
			command.add("-cp");
			command.add(System.getProperty("java.class.path"));
			command.add(main.getName());
			command.addAll(List.of(args));
			Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
			return new ChildJvm(process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Return the next line of output, or {@code null} if the output ended or none came
	 * within the timeout.
	 */
	public String nextLine(Duration timeout) throws InterruptedException {
		String line = this.pending.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (line == END) {
			this.pending.add(END);
			return null;
		}
		return line;
	}

	/**
	 * Return the first line matching the predicate, skipping the others, or fail if none
	 * comes within the timeout.
	 */
	public String awaitLine(Predicate<String> predicate, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			String line = (left > 0) ? nextLine(Duration.ofNanos(left)) : null;
			if (line == null) {
				throw new AssertionError("The child process printed no expected line within " + timeout + " (alive: "
						+ this.process.isAlive() + "). Its output:\n" + output());
			}
			if (predicate.test(line)) {
				return line;
			}
		}
	}

	public void send(String line) {
		try {
			OutputStream in = this.process.getOutputStream();
			in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			in.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Kill the process with SIGKILL and wait until it is gone and its output is read.
	 */
	public void kill(Duration timeout) throws InterruptedException {
		this.process.destroyForcibly();
		awaitExit(timeout);
	}

	/**
	 * Wait for the process to exit and its output to end; kill it and fail if it takes
	 * longer than the timeout.
	 * @return the exit code
	 */
	public int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
			throw new AssertionError("The child process did not exit within " + timeout + ". Its output:\n" + output());
		}
		this.reader.join(TimeUnit.SECONDS.toMillis(30));
		return this.process.exitValue();
	}

	/**
	 * Return every line printed so far.
	 */
	public List<String> lines() {
		synchronized (this.lines) {
			return new ArrayList<>(this.lines);
		}
	}

	public String output() {
		return String.join("\n", lines());
	}

	boolean ended() {
		synchronized (this.lines) {
			return this.ended;
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	private void read() {
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = out.readLine(); line != null; line = out.readLine()) {
				synchronized (this.lines) {
					this.lines.add(line);
				}
				this.pending.add(line);
			}
		}
		catch (IOException ex) {
			// The process is gone; what was read is kept
		}
		finally {
			synchronized (this.lines) {
				this.ended = true;
			}
			this.pending.add(END);
		}
	}

}
