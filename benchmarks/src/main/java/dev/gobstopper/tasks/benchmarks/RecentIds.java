package dev.gobstopper.tasks.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * The ids of the last tasks saved, for readers that poll them.
 */
final class RecentIds {

	private final AtomicReferenceArray<String> ids;

	private final AtomicLong added = new AtomicLong();

	RecentIds(int capacity) {
		this.ids = new AtomicReferenceArray<>(capacity);
	}

	/**
	 * Add the id of a task whose save has returned.
	 */
	void add(String id) {
		this.ids.set((int) (this.added.getAndIncrement() % this.ids.length()), id);
	}

	/**
	 * Return one of the ids at random, or {@code null} if none was added yet, or the one
	 * picked is still being added.
	 */
	@Nullable String random(SplittableRandom random) {
		long added = this.added.get();
		if (added == 0) {
			return null;
		}
		int slot = random.nextInt((int) Math.min(added, this.ids.length()));
		return this.ids.get(slot);
	}

}
