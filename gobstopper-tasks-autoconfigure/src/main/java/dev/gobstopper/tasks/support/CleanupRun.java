package dev.gobstopper.tasks.support;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One cleanup of old finished tasks, for health reports.
 *
 * @param startedAt when it started
 * @param duration how long it took
 * @param deleted how many tasks it deleted
 * @param error why it failed, or {@code null} if it succeeded
 */
public record CleanupRun(Instant startedAt, Duration duration, int deleted, @Nullable String error) {

}
