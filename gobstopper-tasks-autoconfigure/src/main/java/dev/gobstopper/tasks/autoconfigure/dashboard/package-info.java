/**
 * Auto-configuration of the task dashboard: a page, served by the application, that
 * shows what its tasks did.
 */
@NullMarked
package dev.gobstopper.tasks.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
