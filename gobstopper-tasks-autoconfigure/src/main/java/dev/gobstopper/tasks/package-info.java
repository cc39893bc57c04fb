/**
 * Durable records of background tasks: {@link dev.gobstopper.tasks.TaskInfo} and the
 * {@link dev.gobstopper.tasks.TaskStorage} that keeps them in an embedded DuckDB file.
 */
@NullMarked
package dev.gobstopper.tasks;

import org.jspecify.annotations.NullMarked;
