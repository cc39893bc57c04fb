/**
 * A side-by-side benchmark of the task storages on DuckDB and PostgreSQL against naive
 * ports of the original on both, SQLite and H2.
 * {@link dev.gobstopper.tasks.benchmarks.Benchmarks} runs it.
 */
@NullMarked
package dev.gobstopper.tasks.benchmarks;

import org.jspecify.annotations.NullMarked;
