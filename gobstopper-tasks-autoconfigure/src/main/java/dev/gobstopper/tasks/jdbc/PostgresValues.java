package dev.gobstopper.tasks.jdbc;

import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

/**
 * The values PostgreSQL refuses although a task may hold them: NaN and Infinity in JSON,
 * which its JSON types reject, and the NUL character in text columns, which it stores in
 * no text. They are refused before anything is written, like any other bad input.
 */
final class PostgresValues {

	private PostgresValues() {
	}

	/**
	 * Return the row if PostgreSQL can store every value of it.
	 * @throws IllegalArgumentException naming the task and the field otherwise
	 */
	static TaskRow requireStorable(TaskRow row) {
		requireText(row, "id", row.id());
		requireText(row, "name", row.name());
		requireText(row, "category", row.category());
		requireText(row, "error", row.error());
		requireText(row, "progressMessage", row.progressMessage());
		requireText(row, "idempotencyKey", row.idempotencyKey());
		requireText(row, "leaseOwner", row.leaseOwner());
		requireJson(row, "result", row.result());
		requireJson(row, "args", row.args());
		requireJson(row, "kwargs", row.kwargs());
		return row;
	}

	/**
	 * Say why PostgreSQL cannot store a text, or return {@code null} if it can.
	 */
	static @Nullable String whyUnstorable(String text) {
		return (text.indexOf('\0') >= 0) ? "contains the NUL character (\\u0000), which PostgreSQL cannot store" : null;
	}

	private static void requireText(TaskRow row, String field, @Nullable String value) {
		String why = (value != null) ? whyUnstorable(value) : null;
		if (why != null) {
			throw refused(row, field, why);
		}
	}

	/**
	 * Check JSON as the storage's codec writes it: non-finite numbers appear as bare
	 * {@code NaN}, {@code Infinity} or {@code -Infinity}, the only tokens outside strings
	 * that start with those letters.
	 */
	private static void requireJson(TaskRow row, String field, @Nullable String json) {
		if (json == null) {
			return;
		}
		boolean inString = false;
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
				}
			}
			else if (c == '"') {
				inString = true;
			}
			else if (c == 'N' || c == 'I') {
				throw refused(row, field, "contains NaN or Infinity, which PostgreSQL's JSON types cannot store");
			}
		}
	}

	private static IllegalArgumentException refused(TaskRow row, String field, String problem) {
		return new IllegalArgumentException("Task '" + row.id() + "': " + field + " " + problem);
	}

}
