package dev.gobstopper.tasks.jdbc;

import java.io.IOException;
import java.net.ServerSocket;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TestTasks;
import dev.gobstopper.tasks.support.StoreHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the storage tells of itself, and how it fails when its database is gone.
 */
class JdbcTaskStorageHealthTests {

	@RegisterExtension
	final TestDatabase db = new TestDatabase();

	@Test
	void healthNamesTheDatabaseAndTheTable() {
		try (JdbcTaskStorage storage = this.db.open()) {
			StoreHealth health = storage.health();
			assertThat(health.type()).isEqualTo("jdbc");
			assertThat(health.failure()).isNull();
			assertThat(health.failingSince()).isNull();
			assertThat(health.details()).containsEntry("database", "PostgreSQL")
				.containsEntry("table", "public." + this.db.table())
				.hasEntrySatisfying("version", (version) -> assertThat((String) version).startsWith(
						this.db.strings("SELECT current_setting('server_version')").get(0)));
		}
	}

	@Test
	void whenTheDatabaseCannotBeReachedHealthAndEveryCallFailWithAStorageException() throws IOException {
		DelegatingDataSource unplugged = new DelegatingDataSource(this.db.dataSource());
		try (JdbcTaskStorage storage = JdbcTaskStorage.builder(unplugged).tableName(this.db.table()).build()) {
			unplugged.setTargetDataSource(closedPort());
			assertThatExceptionOfType(TaskStorageException.class).isThrownBy(storage::health)
				.withMessageStartingWith("The task storage cannot read its table public." + this.db.table() + ": ");
			assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> storage.getTask("some-id"))
				.withMessageStartingWith("Could not read task 'some-id': ");
			assertThatExceptionOfType(TaskStorageException.class)
				.isThrownBy(() -> storage.saveTask(TestTasks.fullTask("lost")))
				.withMessageStartingWith("Task 'lost' could not be saved: ");
		}
	}

	@Test
	void startingWithoutADatabaseFailsWithAStorageException() throws IOException {
		assertThatExceptionOfType(TaskStorageException.class)
			.isThrownBy(() -> JdbcTaskStorage.builder(closedPort()).build())
			.withMessageStartingWith("Could not start the task storage: ");
	}

	/**
	 * Return a data source whose connections go to a port nobody listens on.
	 */
	private static PGSimpleDataSource closedPort() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setServerNames(new String[] { "127.0.0.1" });
		dataSource.setPortNumbers(new int[] { port });
		dataSource.setDatabaseName("test");
		dataSource.setUser("postgres");
		dataSource.setConnectTimeout(5);
		return dataSource;
	}

}
