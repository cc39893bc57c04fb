package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Path;

/**
 * Where a store keeps one database: a folder for the embedded stores, a table name (and
 * the tables that start with it) in the local PostgreSQL for the others.
 *
 * @param dir the folder
 * @param postgresUrl the JDBC URL of the PostgreSQL
 * @param table the name of the task table, and the prefix of every table of the place
 */
record Place(Path dir, String postgresUrl, String table) {

	/**
	 * Return the place of one of a store's databases, inside this one.
	 */
	Place database(String name) {
		return new Place(this.dir.resolve(name), this.postgresUrl, this.table + "_" + name);
	}

}
