package dev.gobstopper.tasks.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

/**
 * Saves of single tasks from concurrent callers, written together: a caller that finds a
 * writer free writes every save waiting, its own among them, in one statement, while the
 * others wait for it. Each caller returns once its own row is committed.
 * <p>
 * A lone caller writes its row at once, waiting for nobody. Under load, the saves that
 * arrive while a write runs form the next group, so groups grow with the load. Should a
 * group fail, each save in it is written alone, so that a bad row fails only its own
 * caller.
 */
final class GroupCommit {

	/** The most rows written in one statement. */
	private static final int MAX_GROUP = 256;

	private final Queue<Save> waiting = new ConcurrentLinkedQueue<>();

	private final Semaphore writers;

	private final Consumer<List<TaskRow>> write;

	/**
	 * Create a group commit.
	 * @param writers how many groups may be written at once
	 * @param write writes rows in one transaction, the last of an id winning; the saves of
	 * one id in a group are concurrent, so any of them may win
	 */
	GroupCommit(int writers, Consumer<List<TaskRow>> write) {
		this.writers = new Semaphore(writers);
		this.write = write;
	}

	/**
	 * Save a row and return once it is committed.
	 * @throws RuntimeException what writing the row alone threw
	 */
	void save(TaskRow row) {
		Save save = new Save(row);
		this.waiting.add(save);
		boolean interrupted = false;
		while (!save.isDone()) {
			if (this.writers.tryAcquire()) {
				try {
					writeWaiting();
				}
				finally {
					this.writers.release();
				}
				// A save that arrived while every writer was busy waits to be told
				Save next = this.waiting.peek();
				if (next != null) {
					next.wake();
				}
			}
			else {
				// The save stays queued whatever happens, so the caller waits for its outcome
				interrupted |= save.await();
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		save.rethrowFailure();
	}

	private void writeWaiting() {
		List<Save> group = new ArrayList<>();
		for (Save save = this.waiting.poll(); save != null; save = (group.size() < MAX_GROUP) ? this.waiting.poll() : null) {
			group.add(save);
		}
		if (group.isEmpty()) {
			return;
		}
		try {
			List<TaskRow> rows = new ArrayList<>(group.size());
			group.forEach((save) -> rows.add(save.row));
			this.write.accept(rows);
			group.forEach((save) -> save.complete(null));
		}
		catch (RuntimeException | Error ex) {
			if (group.size() == 1) {
				group.get(0).complete(ex);
				return;
			}
			for (Save save : group) {
				try {
					this.write.accept(List.of(save.row));
					save.complete(null);
				}
				catch (RuntimeException | Error alone) {
					save.complete(alone);
				}
			}
		}
	}

	/**
	 * One caller's row, and what became of it.
	 */
	private static final class Save {

		private final TaskRow row;

		private final Thread caller = Thread.currentThread();

		private volatile boolean done;

		private volatile boolean woken;

		private @Nullable Throwable failure;

		Save(TaskRow row) {
			this.row = row;
		}

		boolean isDone() {
			return this.done;
		}

		void complete(@Nullable Throwable failure) {
			this.failure = failure;
			this.done = true;
			LockSupport.unpark(this.caller);
		}

		/**
		 * Tell the caller that a writer became free.
		 */
		void wake() {
			this.woken = true;
			LockSupport.unpark(this.caller);
		}

		/**
		 * Wait until the save is done or the caller is woken.
		 * @return whether the caller was interrupted meanwhile
		 */
		boolean await() {
			while (!this.done && !this.woken) {
				LockSupport.park(this);
				if (Thread.interrupted()) {
					return true;
				}
			}
			this.woken = false;
			return false;
		}

		void rethrowFailure() {
			if (this.failure instanceof RuntimeException ex) {
				throw ex;
			}
			if (this.failure instanceof Error error) {
				throw error;
			}
		}

	}

}
