/**
 * A web application that records its background tasks with gobstopper-tasks.
 */
@NullMarked
package dev.gobstopper.tasks.sample;

import org.jspecify.annotations.NullMarked;
