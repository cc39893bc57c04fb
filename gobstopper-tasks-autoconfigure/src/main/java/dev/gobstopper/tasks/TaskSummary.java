package dev.gobstopper.tasks;

import java.time.Instant;

/**
 * A task without its payloads, for listings: what {@link TaskStorage#getTaskSummaries}
 * reads instead of whole tasks.
 *
 * @param id the unique id
 * @param name the name of the task function
 * @param category the queue the task belongs to
 * @param priority how urgent the task is
 * @param status the life-cycle state
 * @param createdAt when the task was created
 * @param elapsedSeconds how long execution took
 * @param progress the percentage done, from 0 to 100
 */
public record TaskSummary(String id, String name, String category, TaskPriority priority, TaskStatus status,
		Instant createdAt, double elapsedSeconds, double progress) {

}
