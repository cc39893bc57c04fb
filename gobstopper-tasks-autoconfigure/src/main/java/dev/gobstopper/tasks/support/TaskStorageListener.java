package dev.gobstopper.tasks.support;

import org.jspecify.annotations.Nullable;

/**
 * Told of each save, read and cleanup a store ran, such as by metrics. It is called on
 * the caller's thread after the call, so it must be quick and must not throw.
 */
public interface TaskStorageListener {

	/**
	 * A call to save one task or a batch ended.
	 * @param tasks the tasks the call saved or tried to save
	 * @param nanos how long the call took
	 * @param failure why it failed, or {@code null} if it succeeded
	 */
	default void saved(int tasks, long nanos, @Nullable RuntimeException failure) {
	}

	/**
	 * A read ended.
	 * @param operation what was read
	 * @param nanos how long the read took
	 */
	default void read(ReadOperation operation, long nanos) {
	}

	/**
	 * A cleanup ended.
	 * @param run what it did
	 */
	default void cleanedUp(CleanupRun run) {
	}

	/**
	 * The kinds of read.
	 */
	enum ReadOperation {

		/** One task by its id. */
		GET,

		/** A page of tasks or summaries. */
		PAGE

	}

}
