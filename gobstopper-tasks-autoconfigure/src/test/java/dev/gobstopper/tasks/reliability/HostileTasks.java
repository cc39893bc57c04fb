package dev.gobstopper.tasks.reliability;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskLimits;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;

/**
 * Generates tasks with hostile values in every field, from a seeded {@link Random}, and
 * knows which of them can never be stored.
 * <p>
 * A generated task comes with the names of its fields that hold a value that must be
 * refused, and with what a task that is accepted must read back as: JSON values read back
 * as plain maps, lists and scalars.
 */
final class HostileTasks {

	/** Fragments that mean something to SQL, to a shell or to a JSON parser. */
	static final List<String> METACHARACTERS = List.of("'", "''", "\"", ";", "--", "/*", "*/", "\\", "\\'", "%", "_",
			"?", "$1", ":id", "x'; DELETE FROM tasks; --", "' OR '1'='1", "\"; DROP TABLE tasks; --",
			"'); DROP TABLE tasks_journal; --", "\\\"}", "{\"@class\":\"java.lang.Runtime\"}", "${jndi:ldap://x}",
			"NULL", "null", "\\u0000", "\\N");

	private static final List<String> UNICODE = List.of("é", "中文", "\uD83D\uDE00", "\u202E", "\u200B", "\uFEFF",
			"\uFFFF", "\uFFFD", "ß", "Ω", "\uD834\uDD1E");

	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	private final Random random;

	private final Set<String> usedIds = new LinkedHashSet<>();

	HostileTasks(long seed) {
		this.random = new Random(seed);
	}

	/**
	 * A task to save: the builder's values, the fields that must be refused, and, if none
	 * must, the task it reads back as.
	 * @param id the task's id
	 * @param builder builds the task; throws if the constructor refuses a value
	 * @param problems the fields holding a value that can never be stored
	 * @param plainResult the result as it reads back
	 * @param plainArgs the args as they read back
	 * @param plainKwargs the kwargs as they read back
	 */
	record Candidate(String id, TaskInfo.Builder builder, Set<String> problems, Object plainResult,
			List<Object> plainArgs, Map<String, Object> plainKwargs) {

		/** Fields whose values the record's constructor checks. */
		static final Set<String> CHECKED_ON_CONSTRUCTION = Set.of("id", "name", "category", "priority", "status",
				"createdAt", "startedAt", "completedAt", "elapsedSeconds", "error", "retryCount", "maxRetries",
				"progress", "progressMessage");

		boolean refusedOnConstruction() {
			return this.problems.stream().anyMatch(CHECKED_ON_CONSTRUCTION::contains);
		}

		TaskInfo readBack(TaskInfo saved) {
			return saved.toBuilder().result(this.plainResult).args(this.plainArgs).kwargs(this.plainKwargs).build();
		}

	}

	/**
	 * Return a task with a fresh id, or with the given id to update.
	 */
	@SuppressWarnings("unchecked")
	Candidate next(String existingId) {
		Set<String> problems = new LinkedHashSet<>();
		TaskInfo.Builder builder = TaskInfo.builder();
		String id = (existingId != null) ? existingId : key("id", problems, true);
		builder.id(id);
		builder.name(key("name", problems, false));
		builder.category(key("category", problems, false));
		builder.priority(oneIn(100) ? problem("priority", problems, null) : pick(TaskPriority.values()));
		builder.status(oneIn(100) ? problem("status", problems, null) : pick(TaskStatus.values()));
		builder.createdAt(instant("createdAt", problems, false));
		builder.startedAt(instant("startedAt", problems, true));
		builder.completedAt(instant("completedAt", problems, true));
		builder.elapsedSeconds(number("elapsedSeconds", problems, false));
		builder.error(oneIn(3) ? null : text("error", problems, 200));
		builder.retryCount(count("retryCount", problems));
		builder.maxRetries(count("maxRetries", problems));
		builder.progress(number("progress", problems, true));
		builder.progressMessage(oneIn(10) ? null : text("progressMessage", problems, 200));
		Json result = oneIn(5) ? new Json(null, null, 0, false) : json(3);
		Json args = list(3);
		Json kwargs = map(3);
		if (oneIn(25)) {
			result = deep(250 + this.random.nextInt(11));
		}
		if (oneIn(40)) {
			Json inner = deep(250 + this.random.nextInt(11));
			args = new Json(List.of(inner.value), List.of(inner.plain), inner.depth + 1, inner.invalid);
		}
		if (oneIn(40)) {
			Json inner = deep(250 + this.random.nextInt(11));
			kwargs = new Json(Map.of("deep", inner.value), Map.of("deep", inner.plain), inner.depth + 1, inner.invalid);
		}
		if (oneIn(50)) {
			result = large();
		}
		if (oneIn(60)) {
			result = new Json(new Object(), null, 0, true);
		}
		if (oneIn(60)) {
			List<Object> cycle = new ArrayList<>();
			cycle.add(cycle);
			args = new Json(List.of(cycle), null, TaskLimits.MAX_JSON_DEPTH + 1, true);
		}
		if (oneIn(40)) {
			int x = this.random.nextInt();
			result = new Json(new Point(x, -7), Map.of("x", x, "y", -7), 1, false);
		}
		builder.result(result.value);
		builder.args((List<?>) args.value);
		builder.kwargs((Map<String, ?>) kwargs.value);
		checkJson("result", result, problems);
		checkJson("args", args, problems);
		checkJson("kwargs", kwargs, problems);
		return new Candidate(id, builder, problems, result.plain, (List<Object>) args.plain,
				(Map<String, Object>) kwargs.plain);
	}

	private static void checkJson(String field, Json json, Set<String> problems) {
		if (json.invalid || json.depth > TaskLimits.MAX_JSON_DEPTH) {
			problems.add(field);
		}
	}

	private String key(String field, Set<String> problems, boolean unique) {
		while (true) {
			String key;
			int kind = this.random.nextInt(100);
			if (kind < 3) {
				key = problem(field, problems, pick(new String[] { "", " ", "\t\n ", "\u2003" }));
			}
			else if (kind < 8) {
				int length = TaskLimits.MAX_KEY_LENGTH - 24 + this.random.nextInt(48);
				key = pad(text(field, problems, 20), length);
				if (length > TaskLimits.MAX_KEY_LENGTH) {
					problems.add(field);
				}
			}
			else if (kind < 10) {
				key = pad(text(field, problems, 20), TaskLimits.MAX_KEY_LENGTH * (2 + this.random.nextInt(20)));
				problems.add(field);
			}
			else if (kind < 12) {
				key = loneSurrogate(field, problems, pick(METACHARACTERS));
			}
			else {
				key = text(field, problems, 40);
			}
			if (key.isBlank() && !problems.contains(field)) {
				problems.add(field);
			}
			if (!unique || this.usedIds.add(key)) {
				return key;
			}
			problems.remove(field);
		}
	}

	private String pad(String start, int length) {
		StringBuilder text = new StringBuilder(start);
		while (text.length() < length) {
			text.append((char) ('a' + this.random.nextInt(26)));
		}
		text.setLength(length);
		if (Character.isHighSurrogate(text.charAt(length - 1))) {
			text.setCharAt(length - 1, 'z');
		}
		return text.toString();
	}

	/**
	 * Return hostile text: metacharacters, control characters (NUL too), unicode beyond the
	 * BMP, sometimes a lone surrogate, which makes the field a problem.
	 */
	private String text(String field, Set<String> problems, int pieces) {
		StringBuilder text = new StringBuilder();
		int count = this.random.nextInt(pieces + 1);
		for (int i = 0; i < count; i++) {
			switch (this.random.nextInt(5)) {
				case 0 -> text.append(pick(METACHARACTERS));
				case 1 -> text.append((char) (this.random.nextBoolean() ? this.random.nextInt(0x20) : 0x7f));
				case 2 -> text.append(pick(UNICODE));
				default -> text.append((char) (' ' + this.random.nextInt(95)));
			}
		}
		if (text.isEmpty()) {
			text.append('x');
		}
		if (oneIn(60)) {
			return loneSurrogate(field, problems, text.toString());
		}
		return text.toString();
	}

	private String loneSurrogate(String field, Set<String> problems, String text) {
		problems.add(field);
		int at = this.random.nextInt(text.length() + 1);
		char surrogate = this.random.nextBoolean() ? '\uD800' : '\uDFFF';
		// Keep a pair that the insertion would split from pairing up with the new one
		String before = text.substring(0, at);
		String after = text.substring(at);
		return before + surrogate + (after.isEmpty() || Character.isSurrogate(after.charAt(0)) ? "!" : "") + after;
	}

	private Instant instant(String field, Set<String> problems, boolean nullable) {
		int kind = this.random.nextInt(100);
		if (kind < 2) {
			return (nullable) ? null : problem(field, problems, null);
		}
		if (kind < 4) {
			return problem(field, problems, pick(new Instant[] { Instant.MIN, Instant.MAX, EARLIEST.minusNanos(1),
					LATEST.plusNanos(1000), Instant.parse("-0001-06-01T00:00:00Z") }));
		}
		if (kind < 8) {
			// The nanoseconds past the last microsecond are kept as that microsecond
			return pick(new Instant[] { EARLIEST, LATEST, LATEST.plusNanos(999), Instant.EPOCH,
					Instant.EPOCH.minusNanos(1000), Instant.parse("1969-12-31T23:59:59.999999999Z"),
					Instant.parse("2038-01-19T03:14:08Z") });
		}
		if (nullable && kind < 40) {
			return null;
		}
		return Instant.ofEpochSecond(-2_208_988_800L + (long) (this.random.nextDouble() * 6_311_390_400L),
				this.random.nextInt(1_000_000_000));
	}

	private double number(String field, Set<String> problems, boolean percentage) {
		int kind = this.random.nextInt(100);
		if (kind < 3) {
			return problem(field, problems, pick(new Double[] { Double.NaN, Double.POSITIVE_INFINITY,
					Double.NEGATIVE_INFINITY, -1.0, -Double.MIN_VALUE }));
		}
		if (kind < 5 && percentage) {
			return problem(field, problems, pick(new Double[] { 100.00000000001, 101.0, Double.MAX_VALUE }));
		}
		if (kind < 10) {
			return pick(percentage ? new Double[] { 0.0, -0.0, 100.0, Double.MIN_VALUE, 99.99999999999999 }
					: new Double[] { 0.0, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, 1e-300, 1e300 });
		}
		return this.random.nextDouble() * (percentage ? 100 : 1e6);
	}

	private int count(String field, Set<String> problems) {
		int kind = this.random.nextInt(100);
		if (kind < 2) {
			return problem(field, problems, pick(new Integer[] { -1, Integer.MIN_VALUE }));
		}
		if (kind < 5) {
			return Integer.MAX_VALUE;
		}
		return this.random.nextInt(10);
	}

	/**
	 * A JSON value as written, as it reads back, its nesting depth and whether it can never
	 * be stored.
	 */
	record Json(Object value, Object plain, int depth, boolean invalid) {

	}

	private Json json(int depthLeft) {
		int kind = this.random.nextInt((depthLeft > 0) ? 12 : 10);
		return switch (kind) {
			case 0 -> new Json(null, null, 0, false);
			case 1 -> scalar(this.random.nextBoolean());
			case 2 -> scalar(this.random.nextInt());
			case 3 -> scalar(pick(new Long[] { Long.MAX_VALUE, Long.MIN_VALUE, 1L + Integer.MAX_VALUE }));
			case 4 -> scalar(pick(new BigInteger[] { BigInteger.TWO.pow(70), BigInteger.TWO.pow(64).negate() }));
			case 5 -> scalar(pick(new Double[] { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
					Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1e20, this.random.nextGaussian() }));
			case 6, 7, 8, 9 -> {
				Set<String> problems = new LinkedHashSet<>();
				String text = text("json", problems, 30);
				yield new Json(text, text, 0, !problems.isEmpty());
			}
			case 10 -> list(depthLeft - 1);
			default -> map(depthLeft - 1);
		};
	}

	private static Json scalar(Object value) {
		return new Json(value, value, 0, false);
	}

	private Json list(int depthLeft) {
		List<Object> values = new ArrayList<>();
		List<Object> plain = new ArrayList<>();
		int depth = 0;
		boolean invalid = false;
		for (int i = this.random.nextInt(6); i > 0; i--) {
			Json element = json(depthLeft);
			values.add(element.value);
			plain.add(element.plain);
			depth = Math.max(depth, element.depth);
			invalid |= element.invalid;
		}
		return new Json(values, plain, depth + 1, invalid);
	}

	private Json map(int depthLeft) {
		Map<String, Object> values = new LinkedHashMap<>();
		Map<String, Object> plain = new LinkedHashMap<>();
		int depth = 0;
		boolean invalid = false;
		for (int i = this.random.nextInt(6); i > 0; i--) {
			Set<String> problems = new LinkedHashSet<>();
			String key = text("key", problems, 8);
			Json element = json(depthLeft);
			if (values.containsKey(key)) {
				continue;
			}
			values.put(key, element.value);
			plain.put(key, element.plain);
			depth = Math.max(depth, element.depth);
			invalid |= element.invalid || !problems.isEmpty();
		}
		return new Json(values, plain, depth + 1, invalid);
	}

	/**
	 * Return arrays and objects nested to the given depth, with hostile text at the bottom.
	 */
	private Json deep(int depth) {
		Object value = pick(METACHARACTERS);
		for (int i = 0; i < depth; i++) {
			value = (i % 2 == 0) ? List.of(value) : Map.of(pick(METACHARACTERS), value);
		}
		return new Json(value, value, depth, false);
	}

	private Json large() {
		if (this.random.nextBoolean()) {
			List<Object> values = new ArrayList<>();
			for (int i = 0; i < 20_000; i++) {
				values.add((i % 3 == 0) ? Integer.valueOf(i) : (i % 3 == 1) ? "item " + i : Double.valueOf(i / 7.0));
			}
			return new Json(values, values, 1, false);
		}
		Set<String> problems = new LinkedHashSet<>();
		String text = pad(text("large", problems, 40), 200_000 + this.random.nextInt(300_000));
		return new Json(text, text, 0, !problems.isEmpty());
	}

	private boolean oneIn(int n) {
		return this.random.nextInt(n) == 0;
	}

	private <T> T pick(T[] values) {
		return values[this.random.nextInt(values.length)];
	}

	private String pick(List<String> values) {
		return values.get(this.random.nextInt(values.size()));
	}

	private static <T> T problem(String field, Set<String> problems, T value) {
		problems.add(field);
		return value;
	}

	/**
	 * An object Jackson writes as a JSON object of its properties.
	 */
	record Point(int x, int y) {

	}

}
