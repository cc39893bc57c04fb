package dev.gobstopper.tasks;

/**
 * A value of a task that can never be stored, naming its field, so that a stored row
 * holding such a value can be reported by its column.
 */
final class TaskFieldException extends IllegalArgumentException {

	private final String field;

	TaskFieldException(String field, String problem) {
		super(field + " " + problem);
		this.field = field;
	}

	String field() {
		return this.field;
	}

}
