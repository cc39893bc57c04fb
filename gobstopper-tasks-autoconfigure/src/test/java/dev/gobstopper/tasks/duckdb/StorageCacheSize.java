package dev.gobstopper.tasks.duckdb;

/**
 * Reads the cache size a storage was started with, for tests of its configuration
 * elsewhere.
 */
public final class StorageCacheSize {

	private StorageCacheSize() {
	}

	/**
	 * Return the most bytes of task rows the storage keeps beyond the unmerged ones.
	 * @param storage the storage
	 * @return the size in bytes
	 */
	public static long of(DuckDbTaskStorage storage) {
		return storage.recentRows().maxCachedBytes();
	}

}
