package dev.gobstopper.tasks;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * A failure of the task storage itself: the database could not be read or written, or a
 * stored row could not be read back.
 */
public class TaskStorageException extends DataAccessException {

	public TaskStorageException(String message) {
		super(message);
	}

	public TaskStorageException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
