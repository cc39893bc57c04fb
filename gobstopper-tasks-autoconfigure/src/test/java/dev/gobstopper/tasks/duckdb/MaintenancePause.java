package dev.gobstopper.tasks.duckdb;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes a storage's merge or cleanup rebuild stop for good at one of its steps, and say
 * so on standard output, so that a test can kill the process while it is in progress.
 */
public final class MaintenancePause {

	private MaintenancePause() {
	}

	/**
	 * Hang the first time the step is reached, after printing "inside &lt;step&gt;".
	 * @param storage the storage
	 * @param step the name of a step: {@code MERGE}, {@code REBUILD_COPIED} or
	 * {@code REBUILD_REPLACING}
	 */
	public static void hangAt(DuckDbTaskStorage storage, String step) {
		TableMaintenance.Step target = TableMaintenance.Step.valueOf(step);
		AtomicBoolean reached = new AtomicBoolean();
		storage.onMaintenanceStep((current) -> {
			if (current == target && reached.compareAndSet(false, true)) {
				System.out.println("inside " + step);
				System.out.flush();
				try {
					new CountDownLatch(1).await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while hanging at " + step, ex);
				}
			}
		});
	}

}
