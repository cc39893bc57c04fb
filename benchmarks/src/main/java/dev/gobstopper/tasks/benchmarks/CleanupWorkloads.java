package dev.gobstopper.tasks.benchmarks;

/**
 * Cleanup of the older half of the loaded tasks: alone, or while other threads save.
 */
final class CleanupWorkloads {

	private final BenchStore bench;

	private final Sizes sizes;

	private final Output output;

	CleanupWorkloads(BenchStore bench, Sizes sizes, Output output) {
		this.bench = bench;
		this.sizes = sizes;
		this.output = output;
	}

	/**
	 * Return how long the cleanup took, in seconds.
	 */
	double cleanupSeconds() {
		long start = System.nanoTime();
		int deleted = this.bench.cleanupOldTasks(TaskGenerator.RETENTION);
		long nanos = System.nanoTime() - start;
		checkDeleted(deleted);
		return Timing.seconds(nanos);
	}

	/**
	 * Clean up while threads keep saving, from before the cleanup starts until it has
	 * returned.
	 * @return how long the cleanup took, in seconds, and the 99th percentile of the
	 * latencies of the saves that ran meanwhile, in milliseconds
	 */
	double[] cleanupWhileSaving() throws InterruptedException {
		Savers savers = new Savers(this.bench, Sizes.CLEANUP_SAVERS, 500, null);
		long start;
		long end;
		int deleted;
		try {
			Thread.sleep(this.sizes.warmUp().toMillis());
			start = System.nanoTime();
			deleted = this.bench.cleanupOldTasks(TaskGenerator.RETENTION);
			end = System.nanoTime();
		}
		finally {
			savers.stop("cleanupOldTasks while saving", this.output);
		}
		checkDeleted(deleted);
		long[] latencies = savers.latenciesDuring(start, end);
		if (latencies.length == 0) {
			throw new IllegalStateException("No save ran during the cleanup");
		}
		this.output.note(String.format("cleanupOldTasks while saving: %,d saves ran during the cleanup, the slowest "
				+ "in %.1f ms", latencies.length, Timing.millis(latencies[latencies.length - 1])));
		return new double[] { Timing.seconds(end - start), Timing.millis(Timing.percentile(latencies, 0.99)) };
	}

	private void checkDeleted(int deleted) {
		int expected = this.sizes.tasks() / 2;
		if (deleted != expected) {
			this.output.problem(String.format("cleanupOldTasks deleted %,d tasks, expected %,d", deleted, expected));
		}
	}

}
