/**
 * Micrometer metrics of the task storage, and their auto-configuration.
 */
@NullMarked
package dev.gobstopper.tasks.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
