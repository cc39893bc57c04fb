package dev.gobstopper.tasks.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * DuckDB's own errors, translated by type.
 */
class DuckDbExceptionTranslatorTests {

	@TempDir
	Path dir;

	@Test
	void aWriteConflictBetweenTransactionsIsAConcurrencyFailure() throws SQLException {
		try (Connection first = DriverManager.getConnection("jdbc:duckdb:" + this.dir.resolve("conflict.duckdb"));
				Connection second = DriverManager.getConnection("jdbc:duckdb:" + this.dir.resolve("conflict.duckdb"))) {
			try (Statement statement = first.createStatement()) {
				statement.execute("CREATE TABLE t (id VARCHAR PRIMARY KEY, v INTEGER)");
				statement.execute("INSERT INTO t VALUES ('a', 1)");
				statement.execute("BEGIN TRANSACTION");
				statement.execute("UPDATE t SET v = 2 WHERE id = 'a'");
			}
			JdbcTemplate jdbc = DuckDbExceptionTranslator.jdbcTemplate(second);
			jdbc.execute("BEGIN TRANSACTION");
			assertThatExceptionOfType(ConcurrencyFailureException.class)
				.isThrownBy(() -> jdbc.update("UPDATE t SET v = 3 WHERE id = 'a'"))
				.withMessageContaining("Conflict on");
		}
	}

	@Test
	void aFileThatIsNotADuckDbDatabaseIsAPermanentResourceFailure() throws Exception {
		Path text = Files.writeString(this.dir.resolve("notes.txt"), "not a database\n".repeat(1000));
		assertThat(translatedOpening(text)).isInstanceOf(NonTransientDataAccessResourceException.class);
	}

	@Test
	void aFileThatCannotBeCreatedIsAFailureOfTheFileSystem() throws Exception {
		Path parentIsAFile = Files.writeString(this.dir.resolve("file"), "x").resolve("tasks.duckdb");
		assertThat(translatedOpening(parentIsAFile)).isInstanceOf(DataAccessResourceFailureException.class);
	}

	@Test
	void otherErrorsAreLeftUncategorized() throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
			JdbcTemplate jdbc = DuckDbExceptionTranslator.jdbcTemplate(connection);
			assertThatExceptionOfType(UncategorizedSQLException.class).isThrownBy(() -> jdbc.execute("SELEKT 1"))
				.withMessageContaining("SELEKT");
		}
	}

	private static DataAccessException translatedOpening(Path file) {
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file)) {
			throw new AssertionError("Opened " + file);
		}
		catch (SQLException ex) {
			return DuckDbExceptionTranslator.INSTANCE.translate("Opening", null, ex);
		}
	}

}
