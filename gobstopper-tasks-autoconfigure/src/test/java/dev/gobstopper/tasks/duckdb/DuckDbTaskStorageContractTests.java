package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Clock;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageContractTests;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@code TaskStorage}, on a DuckDB file of its own per test.
 */
class DuckDbTaskStorageContractTests extends TaskStorageContractTests {

	@TempDir
	Path dir;

	private TaskDatabase db;

	@Override
	protected TaskStorage openStorage(Clock clock) {
		this.db = TaskDatabase.in(this.dir);
		return open(clock);
	}

	@Override
	protected TaskStorage reopenStorage(TaskStorage storage, Clock clock) {
		closeStorage(storage);
		return open(clock);
	}

	@Override
	protected void closeStorage(TaskStorage storage) {
		((DuckDbTaskStorage) storage).close();
	}

	private DuckDbTaskStorage open(Clock clock) {
		return DuckDbTaskStorage.builder(this.db.dataSource()).clock(clock).build();
	}

}
