/**
 * The {@code gobstoppertasks} actuator endpoint, and its auto-configuration.
 */
@NullMarked
package dev.gobstopper.tasks.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
