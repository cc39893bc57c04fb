package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;

import org.springframework.util.unit.DataSize;

/**
 * The product: {@link DuckDbTaskStorage} on a DuckDB file opened as the starter opens it.
 */
final class GobstopperStore implements BenchStore {

	private final DuckDbDataSource dataSource;

	private final DuckDbTaskStorage storage;

	private final String engine;

	GobstopperStore(Path file) throws SQLException {
		this.dataSource = new DuckDbDataSource(file.toString(), DataSize.ofMegabytes(256), 1, "v1.0.0");
		try {
			this.storage = DuckDbTaskStorage.builder(this.dataSource).build();
			this.engine = DuckDbEngine.version(this.dataSource);
		}
		catch (SQLException | RuntimeException ex) {
			this.dataSource.close();
			throw ex;
		}
	}

	@Override
	public void saveTask(TaskInfo task) {
		this.storage.saveTask(task);
	}

	@Override
	public void saveTasks(List<TaskInfo> tasks) {
		this.storage.saveTasks(tasks);
	}

	@Override
	public Optional<TaskInfo> getTask(String id) {
		return this.storage.getTask(id);
	}

	@Override
	public List<TaskInfo> getTasks(String category, TaskStatus status, int limit, int offset) {
		return this.storage.getTasks(category, status, limit, offset);
	}

	@Override
	public int cleanupOldTasks(Duration retention) {
		return this.storage.cleanupOldTasks(retention);
	}

	@Override
	public String engine() {
		return this.engine;
	}

	@Override
	public void close() {
		try {
			this.storage.close();
		}
		finally {
			this.dataSource.close();
		}
	}

}
