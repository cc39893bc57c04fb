package dev.gobstopper.tasks.sample;

/**
 * The outcome of {@code POST /tasks/cleanup}.
 *
 * @param deleted how many finished tasks were deleted
 */
record CleanupResponse(int deleted) {

}
