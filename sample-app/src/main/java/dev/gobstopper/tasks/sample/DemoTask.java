package dev.gobstopper.tasks.sample;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A demo task to run: a number of steps that each take a while, and optionally a failure
 * half-way.
 *
 * @param category the category to record the task under
 * @param steps how many steps the task takes, from 1 to 100
 * @param stepMillis how long each step takes, from 0 to 10,000 ms
 * @param fail whether the task fails at its {@link #failingStep() middle step}
 * @param input a JSON object passed through to the task's result
 */
record DemoTask(String category, int steps, int stepMillis, boolean fail, Map<String, @Nullable Object> input) {

	static final int MAX_STEPS = 100;

	static final int MAX_STEP_MILLIS = 10_000;

	DemoTask {
		if (category.isBlank()) {
			throw new IllegalArgumentException("category must not be blank");
		}
		requireBetween("steps", steps, 1, MAX_STEPS);
		requireBetween("stepMillis", stepMillis, 0, MAX_STEP_MILLIS);
		input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
	}

	/**
	 * Return the step at which a task that should fail fails: the middle one.
	 * @return the failing step, from 1 to {@link #steps()}
	 */
	int failingStep() {
		return this.steps / 2 + 1;
	}

	private static void requireBetween(String field, int value, int min, int max) {
		if (value < min || value > max) {
			throw new IllegalArgumentException(
					field + " must be between " + min + " and " + max + ", got " + value);
		}
	}

}
