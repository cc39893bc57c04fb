/**
 * The task store on an embedded DuckDB file.
 */
@NullMarked
package dev.gobstopper.tasks.duckdb;

import org.jspecify.annotations.NullMarked;
