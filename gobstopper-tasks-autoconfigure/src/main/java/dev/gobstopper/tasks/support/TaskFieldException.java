package dev.gobstopper.tasks.support;

/**
 * A value of a task that can never be stored, naming its field, so that a stored row
 * holding such a value can be reported by its column.
 */
public final class TaskFieldException extends IllegalArgumentException {

	private final String field;

	public TaskFieldException(String field, String problem) {
		super(field + " " + problem);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
