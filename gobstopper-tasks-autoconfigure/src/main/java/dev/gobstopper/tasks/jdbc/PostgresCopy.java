package dev.gobstopper.tasks.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Sends rows with PostgreSQL's {@code COPY}, the fastest way into a table: the one class
 * that uses the PostgreSQL driver's own API. Rows are written in text format and sent in
 * chunks while the next are written, so the server reads while the JVM writes.
 */
final class PostgresCopy {

	/** Characters written before they are sent. */
	private static final int CHUNK = 1 << 16;

	private PostgresCopy() {
	}

	/**
	 * Copy rows, in their order.
	 * @param connection a connection of the PostgreSQL driver
	 * @param copy the {@code COPY … FROM STDIN} statement, its columns those of
	 * {@link TaskRow#COLUMNS}
	 * @param rows the rows
	 */
	static void copy(Connection connection, String copy, List<TaskRow> rows) throws SQLException {
		CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
		try {
			StringBuilder text = new StringBuilder(CHUNK + 4096);
			for (TaskRow row : rows) {
				appendRow(text, row);
				if (text.length() >= CHUNK) {
					send(in, text);
				}
			}
			send(in, text);
			in.endCopy();
		}
		finally {
			if (in.isActive()) {
				in.cancelCopy();
			}
		}
	}

	private static void appendRow(StringBuilder text, TaskRow row) {
		@Nullable Object[] values = RowArrays.values(row);
		for (int i = 0; i < values.length; i++) {
			if (i > 0) {
				text.append('\t');
			}
			Object value = values[i];
			if (value == null) {
				text.append("\\N");
			}
			else if (value instanceof String string) {
				appendEscaped(text, string);
			}
			else {
				text.append(value);
			}
		}
		text.append('\n');
	}

	/**
	 * Append text as the text format of COPY wants it: backslash, tab, newline and
	 * carriage return escaped with a backslash.
	 */
	private static void appendEscaped(StringBuilder text, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> text.append("\\\\");
				case '\t' -> text.append("\\t");
				case '\n' -> text.append("\\n");
				case '\r' -> text.append("\\r");
				default -> text.append(c);
			}
		}
	}

	private static void send(CopyIn in, StringBuilder text) throws SQLException {
		byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
		in.writeToCopy(bytes, 0, bytes.length);
		text.setLength(0);
	}

}
