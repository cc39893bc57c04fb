package dev.gobstopper.tasks.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * When each call of one thread started and ended, in {@link System#nanoTime()}.
 */
final class Latencies {

	private long[] starts = new long[1024];

	private long[] ends = new long[1024];

	private int size;

	void add(long start, long end) {
		if (this.size == this.starts.length) {
			this.starts = Arrays.copyOf(this.starts, this.size * 2);
			this.ends = Arrays.copyOf(this.ends, this.size * 2);
		}
		this.starts[this.size] = start;
		this.ends[this.size] = end;
		this.size++;
	}

	/**
	 * Return the latencies of the calls of several threads that ran during a period, at
	 * least in part, sorted, in nanoseconds; call once the threads have stopped.
	 */
	static long[] during(List<Latencies> threads, long from, long to) {
		long[] during = new long[0];
		int count = 0;
		for (Latencies thread : threads) {
			for (int i = 0; i < thread.size; i++) {
				long start = thread.starts[i];
				long end = thread.ends[i];
				if (start < to && end > from) {
					if (count == during.length) {
						during = Arrays.copyOf(during, Math.max(16, count * 2));
					}
					during[count++] = end - start;
				}
			}
		}
		long[] sorted = Arrays.copyOf(during, count);
		Arrays.sort(sorted);
		return sorted;
	}

}
