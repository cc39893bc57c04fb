/**
 * Auto-configuration of the DuckDB task storage.
 */
@NullMarked
package dev.gobstopper.tasks.autoconfigure;

import org.jspecify.annotations.NullMarked;
