package dev.gobstopper.tasks.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Opens a DuckDB file in a process of its own. With "count" it prints the rows of the
 * tasks table and exits; with "journal" the rows of its journal; with "hold" it keeps the
 * file open, and so locked, until its standard input ends.
 */
final class DuckDbFileHolder {

	private DuckDbFileHolder() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[1])) {
			if (mode.equals("count") || mode.equals("journal")) {
				String table = mode.equals("count") ? "tasks" : "tasks_journal";
				try (Statement statement = connection.createStatement();
						ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
					rs.next();
					System.out.println(mode + " " + rs.getLong(1));
				}
			}
			else {
				System.out.println("holding " + ProcessHandle.current().pid());
				System.out.flush();
				BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
				while (in.readLine() != null) {
					// Holding the lock until the test closes our input
				}
			}
		}
	}

}
