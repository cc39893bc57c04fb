package dev.gobstopper.tasks.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.PreparedStatementSetter;

/**
 * Binds rows as one array per column, in the order of {@link TaskRow#COLUMNS}, for
 * {@link Dialect#insertRows}. Timestamps and JSON go as text, which the statement casts:
 * text keeps every microsecond of every year from 1 to 9999.
 */
final class RowArrays implements PreparedStatementSetter {

	private static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'");

	private static final List<Column> COLUMNS = List.of(text(TaskRow::id), text(TaskRow::name),
			text(TaskRow::category), integer(TaskRow::priority), text(TaskRow::status), timestamp(TaskRow::createdAt),
			timestamp(TaskRow::startedAt), timestamp(TaskRow::completedAt), float8(TaskRow::elapsedSeconds),
			text(TaskRow::result), text(TaskRow::error), integer(TaskRow::retryCount), integer(TaskRow::maxRetries),
			text(TaskRow::args), text(TaskRow::kwargs), float8(TaskRow::progress), text(TaskRow::progressMessage),
			integer(TaskRow::attempt), integer(TaskRow::maxAttempts), text(TaskRow::idempotencyKey),
			timestamp(TaskRow::notBefore), timestamp(TaskRow::nextAttemptAt), text(TaskRow::leaseOwner),
			timestamp(TaskRow::leaseExpiresAt), timestamp(TaskRow::claimedAt), timestamp(TaskRow::lastHeartbeatAt));

	private final List<TaskRow> rows;

	RowArrays(List<TaskRow> rows) {
		this.rows = rows;
	}

	@Override
	public void setValues(PreparedStatement statement) throws SQLException {
		Connection connection = statement.getConnection();
		for (int i = 0; i < COLUMNS.size(); i++) {
			Column column = COLUMNS.get(i);
			Object[] values = new Object[this.rows.size()];
			for (int row = 0; row < values.length; row++) {
				values[row] = column.value.apply(this.rows.get(row));
			}
			statement.setArray(i + 1, connection.createArrayOf(column.elementType, values));
		}
	}

	private static Column text(Function<TaskRow, @Nullable String> value) {
		return new Column("text", value::apply);
	}

	private static Column integer(Function<TaskRow, Integer> value) {
		return new Column("int4", value::apply);
	}

	private static Column float8(Function<TaskRow, Double> value) {
		return new Column("float8", value::apply);
	}

	private static Column timestamp(Function<TaskRow, @Nullable LocalDateTime> value) {
		return new Column("text", (row) -> {
			LocalDateTime utc = value.apply(row);
			return (utc != null) ? UTC_TEXT.format(utc) : null;
		});
	}

	private record Column(String elementType, Function<TaskRow, @Nullable Object> value) {

	}

}
