package dev.gobstopper.tasks.duckdb;

import java.util.UUID;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TestTasks;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Stops a storage's journal writer as an unexpected error in it would, for tests of what
 * follows elsewhere, such as health checks.
 */
public final class JournalWriterFailure {

	private JournalWriterFailure() {
	}

	/**
	 * Stop the journal writer, and return once saves are refused.
	 * @param storage the storage
	 */
	public static void stopJournalWriter(DuckDbTaskStorage storage) {
		storage.failJournalWriterAfterNextSave();
		storage.saveTask(TestTasks.task("last-save-" + UUID.randomUUID()).build());
		assertThatExceptionOfType(TaskStorageException.class)
			.isThrownBy(() -> storage.saveTask(TestTasks.task("refused-" + UUID.randomUUID()).build()));
	}

}
