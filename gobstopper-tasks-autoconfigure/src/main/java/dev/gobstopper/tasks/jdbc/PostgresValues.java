package dev.gobstopper.tasks.jdbc;

import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

/**
 * The values PostgreSQL refuses although a task may hold them: NaN and Infinity in JSON,
 * which its JSON types reject, and the NUL character, which it stores in no text. They
 * are refused before anything is written, like any other bad input.
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

	private static void requireText(TaskRow row, String field, @Nullable String value) {
		if (value != null && value.indexOf('\0') >= 0) {
			throw refused(row, field, "contains the NUL character (\\u0000), which PostgreSQL cannot store");
		}
	}

	/**
	 * Check JSON as the storage's codec writes it: non-finite numbers appear as bare
	 * {@code NaN}, {@code Infinity} or {@code -Infinity}, and NUL as the escape
	 * {@code \u0000} inside a string.
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
					if (json.startsWith("u0000", i + 1)) {
						throw refused(row, field,
								"contains the NUL character (\\u0000), which PostgreSQL's JSON types cannot store");
					}
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
