package dev.gobstopper.tasks.benchmarks;

/**
 * Cleanup of the older half of the loaded tasks: alone, or while other threads save and
 * delete.
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
	 * Clean up while threads keep saving and others keep deleting tasks of their own,
	 * from before the cleanup starts until it has returned.
	 * @return how long the cleanup took, in seconds, and the 99th percentiles of the
	 * latencies of the saves and of the deletes that ran meanwhile, in milliseconds
	 */
	double[] cleanupWhileSaving() throws InterruptedException {
		Deleters deleters = new Deleters(this.bench, Sizes.CLEANUP_DELETERS, 600);
		Savers savers = null;
		long start;
		long end;
		int deleted;
		try {
			savers = new Savers(this.bench, Sizes.CLEANUP_SAVERS, 500, null);
			Thread.sleep(this.sizes.warmUp().toMillis());
			start = System.nanoTime();
			deleted = this.bench.cleanupOldTasks(TaskGenerator.RETENTION);
			end = System.nanoTime();
		}
		finally {
			deleters.stop("cleanupOldTasks while deleting", this.output);
			if (savers != null) {
				savers.stop("cleanupOldTasks while saving", this.output);
			}
		}
		checkDeleted(deleted);
		long[] saves = savers.latenciesDuring(start, end);
		long[] deletes = deleters.latenciesDuring(start, end);
		if (saves.length == 0 || deletes.length == 0) {
			throw new IllegalStateException("No save or no delete ran during the cleanup");
		}
		this.output.note(String.format("cleanupOldTasks while saving: %,d saves ran during the cleanup, the slowest "
				+ "in %.1f ms; %,d deletes, the slowest in %.1f ms", saves.length,
				Timing.millis(saves[saves.length - 1]), deletes.length, Timing.millis(deletes[deletes.length - 1])));
		return new double[] { Timing.seconds(end - start), Timing.millis(Timing.percentile(saves, 0.99)),
				Timing.millis(Timing.percentile(deletes, 0.99)) };
	}

	private void checkDeleted(int deleted) {
		int expected = this.sizes.tasks() / 2;
		if (deleted != expected) {
			this.output.problem(String.format("cleanupOldTasks deleted %,d tasks, expected %,d", deleted, expected));
		}
	}

}
