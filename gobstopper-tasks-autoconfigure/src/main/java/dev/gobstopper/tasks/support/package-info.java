/**
 * What the task stores share: the checks on their input, the JSON codec and the base class
 * that applies both. Not for applications, which use {@link dev.gobstopper.tasks}.
 */
@NullMarked
package dev.gobstopper.tasks.support;

import org.jspecify.annotations.NullMarked;
