package dev.gobstopper.tasks.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Arithmetic on measured times.
 */
final class Timing {

	private Timing() {
	}

	static double seconds(long nanos) {
		return Math.max(nanos, 1) / 1e9;
	}

	static double millis(double nanos) {
		return nanos / 1e6;
	}

	/**
	 * Return the median of the times, in nanoseconds.
	 */
	static double median(List<Long> nanos) {
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
	}

	static long slowest(List<Long> nanos) {
		return Collections.max(nanos);
	}

	/**
	 * Return the nearest-rank percentile of sorted values.
	 */
	static long percentile(long[] sorted, double fraction) {
		int rank = (int) Math.ceil(fraction * sorted.length);
		return sorted[Math.max(rank, 1) - 1];
	}

}
