package dev.gobstopper.tasks.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.jdbc.JdbcTaskStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two instances of the sample with its "postgres" profile, on the PostgreSQL server of
 * this project's machines, each seeing the other's tasks.
 */
@Timeout(180)
class SamplePostgresProfileTests {

	private static final String URL = System.getenv()
		.getOrDefault("GOBSTOPPER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

	private final String table = "sample_" + UUID.randomUUID().toString().replace("-", "");

	@AfterEach
	void dropTable() throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.table);
		}
	}

	@Test
	void twoInstancesOnOneDatabaseSeeEachOthersTasks() {
		try (ConfigurableApplicationContext first = start(); ConfigurableApplicationContext second = start()) {
			assertThat(first.getBean(TaskStorage.class)).isInstanceOf(JdbcTaskStorage.class);
			TaskApiClient one = client(first);
			TaskApiClient other = client(second);
			String id = one.submitAccepted("{\"category\":\"shared\",\"steps\":2,\"stepMillis\":50}");
			Map<String, Object> seenByTheOther = other.awaitStatus(id, "success");
			assertThat(seenByTheOther).containsEntry("category", "shared");
			ResponseEntity<List<Map<String, Object>>> listed = other.list("?category=shared");
			assertThat(listed.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(listed.getBody()).extracting((task) -> task.get("id")).containsExactly(id);
		}
	}

	private ConfigurableApplicationContext start() {
		return SpringApplication.run(SampleApplication.class, "--spring.profiles.active=postgres", "--server.port=0",
				"--spring.datasource.url=" + URL, "--gobstopper.tasks.table-name=" + this.table);
	}

	private static TaskApiClient client(ConfigurableApplicationContext context) {
		return new TaskApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	private static Connection connect() {
		try {
			return DriverManager.getConnection(URL);
		}
		catch (SQLException ex) {
			return fail("PostgreSQL is not reachable at " + URL + " (" + ex.getMessage() + "). Start it with: "
					+ "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
		}
	}

}
