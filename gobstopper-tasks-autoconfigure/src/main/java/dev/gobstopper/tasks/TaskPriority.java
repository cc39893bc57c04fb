package dev.gobstopper.tasks;

/**
 * How urgent a task is, stored as its {@link #value()} from 1 to 4.
 */
public enum TaskPriority {

	/** Non-urgent background work. */
	LOW(1),

	/** The default. */
	NORMAL(2),

	/** Time-sensitive work. */
	HIGH(3),

	/** Work that must run first. */
	CRITICAL(4);

	private final int value;

	TaskPriority(int value) {
		this.value = value;
	}

	/**
	 * Return the value stored in the database, from 1 ({@link #LOW}) to 4 ({@link #CRITICAL}).
	 * @return the stored value
	 */
	public int value() {
		return this.value;
	}

	/**
	 * Return the priority stored as the given value.
	 * @param value a stored value from 1 to 4
	 * @return the priority
	 * @throws IllegalArgumentException if no priority is stored as that value
	 */
	public static TaskPriority fromValue(int value) {
		for (TaskPriority priority : values()) {
			if (priority.value == value) {
				return priority;
			}
		}
		throw new IllegalArgumentException("Unknown task priority value " + value + ", expected 1 to 4");
	}

}
