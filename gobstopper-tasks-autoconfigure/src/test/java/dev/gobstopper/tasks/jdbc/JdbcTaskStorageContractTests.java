package dev.gobstopper.tasks.jdbc;

import java.time.Clock;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract of {@code TaskStorage}, on PostgreSQL, in a table of its own per test.
 */
class JdbcTaskStorageContractTests extends TaskStorageContractTests {

	@RegisterExtension
	final TestDatabase db = new TestDatabase(16);

	@Override
	protected TaskStorage openStorage(Clock clock) {
		return this.db.builder().clock(clock).build();
	}

	@Override
	protected TaskStorage reopenStorage(TaskStorage storage, Clock clock) {
		closeStorage(storage);
		return openStorage(clock);
	}

	@Override
	protected void closeStorage(TaskStorage storage) {
		((JdbcTaskStorage) storage).close();
	}

	@Override
	protected boolean keepsNonFiniteNumbersInJson() {
		return false;
	}

}
