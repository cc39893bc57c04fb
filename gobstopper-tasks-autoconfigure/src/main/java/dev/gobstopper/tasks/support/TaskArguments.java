package dev.gobstopper.tasks.support;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import dev.gobstopper.tasks.TaskLimits;
import org.jspecify.annotations.Nullable;

/**
 * The checks every store applies to what it is given, so that the stores agree on what is
 * valid. Each failure is an {@link IllegalArgumentException} naming the field.
 */
public final class TaskArguments {

	/** The earliest instant a task can hold, the first that Python's {@code datetime} reads. */
	public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	/** The latest instant a task can hold, the last that Python's {@code datetime} reads. */
	public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,54}");

	private TaskArguments() {
	}

	public static <T> T requireNonNull(String field, @Nullable T value) {
		if (value == null) {
			throw new TaskFieldException(field, "must not be null");
		}
		return value;
	}

	public static Duration requirePositive(String field, @Nullable Duration value) {
		if (requireNonNull(field, value).isNegative() || value.isZero()) {
			throw new TaskFieldException(field, "must be positive, got " + value);
		}
		return value;
	}

	public static int requireNotNegative(String field, int value) {
		if (value < 0) {
			throw new TaskFieldException(field, "must not be negative, got " + value);
		}
		return value;
	}

	/**
	 * Return a key (an id, name or category) if it is not blank, not longer than
	 * {@link TaskLimits#MAX_KEY_LENGTH} and well formed.
	 */
	public static String requireKey(String field, @Nullable String value) {
		if (value == null || value.isBlank()) {
			throw new TaskFieldException(field, "must not be blank");
		}
		if (value.length() > TaskLimits.MAX_KEY_LENGTH) {
			throw new TaskFieldException(field,
					"is " + value.length() + " characters long, more than the limit of " + TaskLimits.MAX_KEY_LENGTH);
		}
		return Text.requireWellFormed(field, value);
	}

	/**
	 * Return an id to look up if it is not null and well formed. Unlike {@link #requireKey},
	 * any length is accepted: an id longer than the limit is simply never stored.
	 */
	public static String requireLookupId(String field, @Nullable String id) {
		return Text.requireWellFormed(field, requireNonNull(field, id));
	}

	/**
	 * Return an instant truncated to microseconds, the precision both stores keep, if it
	 * lies between {@link #EARLIEST} and {@link #LATEST}.
	 */
	public static Instant requireTimestamp(String field, Instant value) {
		Instant truncated = value.truncatedTo(ChronoUnit.MICROS);
		if (truncated.isBefore(EARLIEST) || truncated.isAfter(LATEST)) {
			throw new TaskFieldException(field, "must lie between years 1 and 9999, got " + value);
		}
		return truncated;
	}

	/**
	 * Return a number if it is finite, with {@code -0.0} folded into {@code 0.0}.
	 */
	public static double requireFinite(String field, double value) {
		if (!Double.isFinite(value)) {
			throw new TaskFieldException(field, "must be a finite number, got " + value);
		}
		return value + 0.0;
	}

	/**
	 * Return a table name if it is a plain SQL identifier, short enough for the names the
	 * stores derive from it, such as the DuckDB journal's.
	 */
	public static String requireTableName(String table) {
		if (!TABLE_NAME.matcher(table).matches()) {
			throw new IllegalArgumentException("'" + table + "' is not a plain SQL identifier: use at most 55 letters, "
					+ "digits and underscores, not starting with a digit");
		}
		return table;
	}

}
