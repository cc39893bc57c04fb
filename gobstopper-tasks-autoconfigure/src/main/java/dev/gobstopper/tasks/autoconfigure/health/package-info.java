/**
 * Auto-configuration of the task storage's health check, for Spring Boot's health
 * endpoint.
 */
@NullMarked
package dev.gobstopper.tasks.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
