/**
 * The task store in a database that several instances of an application share.
 */
@NullMarked
package dev.gobstopper.tasks.jdbc;

import org.jspecify.annotations.NullMarked;
