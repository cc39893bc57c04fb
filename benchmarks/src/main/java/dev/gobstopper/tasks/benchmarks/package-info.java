/**
 * A side-by-side benchmark of the DuckDB task storage against a naive DuckDB port, SQLite
 * and H2. {@link dev.gobstopper.tasks.benchmarks.Benchmarks} runs it.
 */
@NullMarked
package dev.gobstopper.tasks.benchmarks;

import org.jspecify.annotations.NullMarked;
