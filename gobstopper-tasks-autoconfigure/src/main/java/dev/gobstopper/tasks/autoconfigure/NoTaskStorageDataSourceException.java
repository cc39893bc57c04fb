package dev.gobstopper.tasks.autoconfigure;

/**
 * The storage was to keep its tasks in the application's database, but the application
 * has no data source.
 */
class NoTaskStorageDataSourceException extends IllegalStateException {

	NoTaskStorageDataSourceException() {
		super("gobstopper.tasks.store-type is 'jdbc', but the application has no DataSource for the task storage");
	}

}
