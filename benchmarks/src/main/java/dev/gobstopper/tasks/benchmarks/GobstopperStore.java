package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;
import java.sql.SQLException;

import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;

import org.springframework.util.unit.DataSize;

/**
 * The product: {@link DuckDbTaskStorage} on a DuckDB file opened as the starter opens it.
 */
final class GobstopperStore extends TaskStorageBench {

	private final DuckDbDataSource dataSource;

	private final DuckDbTaskStorage storage;

	private final String engine;

	private GobstopperStore(DuckDbDataSource dataSource, DuckDbTaskStorage storage, String engine) {
		super(storage);
		this.dataSource = dataSource;
		this.storage = storage;
		this.engine = engine;
	}

	static GobstopperStore open(Path file) throws SQLException {
		DuckDbDataSource dataSource = new DuckDbDataSource(file.toString(), DataSize.ofMegabytes(256), 1, "v1.0.0");
		try {
			DuckDbTaskStorage storage = DuckDbTaskStorage.builder(dataSource).build();
			try {
				return new GobstopperStore(dataSource, storage, DuckDbEngine.version(dataSource));
			}
			catch (SQLException | RuntimeException ex) {
				storage.close();
				throw ex;
			}
		}
		catch (SQLException | RuntimeException ex) {
			dataSource.close();
			throw ex;
		}
	}

	@Override
	public long unmergedSaves() {
		return this.storage.backlog();
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
