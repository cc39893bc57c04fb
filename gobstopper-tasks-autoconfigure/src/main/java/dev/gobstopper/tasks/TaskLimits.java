package dev.gobstopper.tasks;

/**
 * The limits a task must keep to be stored. A task beyond them is refused with an
 * {@link IllegalArgumentException}; a stored JSON value beyond them is refused when read.
 */
public final class TaskLimits {

	/** The most characters in a task's id, name or category. */
	public static final int MAX_KEY_LENGTH = 1024;

	/**
	 * The most characters in one task's text and JSON together: id, name, category, error,
	 * progress message and the JSON text of result, args and kwargs.
	 */
	public static final int MAX_RECORD_LENGTH = 16 * 1024 * 1024;

	/** The deepest nesting of arrays and objects in a result, args or kwargs value. */
	public static final int MAX_JSON_DEPTH = 256;

	private TaskLimits() {
	}

}
