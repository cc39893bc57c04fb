package dev.gobstopper.tasks;

import java.util.Locale;

/**
 * The life-cycle state of a task, stored as its lower-case {@link #value()}.
 */
public enum TaskStatus {

	/** Queued and waiting for a worker. */
	PENDING,

	/** Being executed. */
	STARTED,

	/** Finished without error. */
	SUCCESS,

	/** Finished with an error and no retries left. */
	FAILED,

	/** Cancelled before it finished. */
	CANCELLED,

	/** Failed and waiting to be retried. */
	RETRY;

	private final String value = name().toLowerCase(Locale.ROOT);

	/**
	 * Return the value stored in the database, such as {@code "pending"}.
	 * @return the stored value
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Return whether no further execution follows this state: {@link #SUCCESS},
	 * {@link #FAILED} or {@link #CANCELLED}.
	 * @return whether the state is terminal
	 */
	public boolean isTerminal() {
		return this == SUCCESS || this == FAILED || this == CANCELLED;
	}

	/**
	 * Return the status stored as the given value.
	 * @param value a stored value, such as {@code "pending"}
	 * @return the status
	 * @throws IllegalArgumentException if no status is stored as that value
	 */
	public static TaskStatus fromValue(String value) {
		for (TaskStatus status : values()) {
			if (status.value.equals(value)) {
				return status;
			}
		}
		throw new IllegalArgumentException("Unknown task status value '" + value + "'");
	}

}
