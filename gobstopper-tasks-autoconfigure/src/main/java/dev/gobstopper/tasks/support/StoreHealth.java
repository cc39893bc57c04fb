package dev.gobstopper.tasks.support;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a store can tell about its own state, for health reports.
 *
 * @param type the kind of store, such as {@code duckdb}
 * @param failure why the store can no longer work, or {@code null} while it can
 * @param failingSince since when its background work has been failing, or {@code null}
 * while it succeeds
 * @param details facts about the store, such as the file it keeps its tasks in
 */
public record StoreHealth(String type, @Nullable String failure, @Nullable Instant failingSince,
		Map<String, Object> details) {

}
