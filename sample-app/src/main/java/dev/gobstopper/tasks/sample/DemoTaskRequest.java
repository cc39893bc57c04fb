package dev.gobstopper.tasks.sample;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /demo-tasks}; every field is optional.
 *
 * @param category the category to record the task under, "demo" if absent
 * @param steps how many steps the task takes, 5 if absent
 * @param stepMillis how long each step takes, 200 if absent
 * @param fail whether the task fails at its middle step, false if absent
 * @param input any JSON object, passed through to the task's result
 */
record DemoTaskRequest(@Nullable String category, @Nullable Integer steps, @Nullable Integer stepMillis,
		@Nullable Boolean fail, @Nullable Map<String, @Nullable Object> input) {

	static final String DEFAULT_CATEGORY = "demo";

	static final int DEFAULT_STEPS = 5;

	static final int DEFAULT_STEP_MILLIS = 200;

	/**
	 * Return the demo task this request asks for, with the defaults filled in.
	 * @return the demo task
	 * @throws IllegalArgumentException if a field is out of range
	 */
	DemoTask toDemoTask() {
		return new DemoTask((this.category != null) ? this.category : DEFAULT_CATEGORY,
				(this.steps != null) ? this.steps : DEFAULT_STEPS,
				(this.stepMillis != null) ? this.stepMillis : DEFAULT_STEP_MILLIS, Boolean.TRUE.equals(this.fail),
				(this.input != null) ? this.input : Map.of());
	}

}
