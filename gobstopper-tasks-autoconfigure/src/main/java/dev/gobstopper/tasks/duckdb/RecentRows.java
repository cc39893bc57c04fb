package dev.gobstopper.tasks.duckdb;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

/**
 * The rows of the tasks saved and read lately, kept in memory so that reading them needs
 * no query: DuckDB plans every statement it runs, which costs about half a millisecond
 * even for a look-up by primary key.
 * <p>
 * It keeps two kinds of rows. First, the newest journal row of each task saved since the
 * journal was last merged, which the task table does not hold yet, up to a bound in rows
 * and in bytes; past that bound it stops keeping them, and reads look unmerged rows up in
 * the journal table until a merge has taken every row not kept. Second, up to the cache
 * size, rows as the task table holds them: those just merged and those read, the least
 * recently used evicted first.
 * <p>
 * The engine is the only writer of its table, so both stay exact. Every row the journal
 * writes replaces what is kept of its task as it is published, before its caller is
 * released; a delete or a cleanup removes what it deleted once it has committed. A row
 * read from the database is kept only if nothing was written to its task, deleted or
 * cleaned up since the read began: {@link #lookup} gives a stamp that {@link #fill}
 * checks.
 */
final class RecentRows {

	/** The most unmerged rows kept, such as while merges fail or after a large batch... */
	static final int MAX_UNMERGED_ROWS = 50_000;

	/** ...and the most bytes they may take. */
	static final long MAX_UNMERGED_BYTES = 32L * 1024 * 1024;

	/**
	 * What a row takes beyond the characters of its text: the objects of the row, of its
	 * timestamps and of the map entry that holds it.
	 */
	private static final long ROW_OVERHEAD_BYTES = 640;

	/** The writes and deletes of tasks are counted in this many stripes, by id. */
	private static final int STRIPES = 1024;

	private final Map<String, Unmerged> unmerged = new HashMap<>();

	/** Least recently used first. */
	private final LinkedHashMap<String, TaskRow> cached = new LinkedHashMap<>(256, 0.75f, true);

	private final long[] changes = new long[STRIPES];

	private final long maxCachedBytes;

	private long unmergedBytes;

	private long cachedBytes;

	/** The sequence number of the last journal row not kept, while there is one unmerged. */
	private long lastUnkeptSeq;

	private long cleanups;

	/**
	 * Create an empty set of rows.
	 * @param maxCachedBytes the most bytes the rows of the task table may take; 0 keeps
	 * none, only the unmerged rows
	 */
	RecentRows(long maxCachedBytes) {
		this.maxCachedBytes = maxCachedBytes;
	}

	/**
	 * Return what is kept of a task: its row, or, if none is kept, a stamp for
	 * {@link #fill} and whether the journal table may hold rows of it that are not kept.
	 */
	synchronized Lookup lookup(String id) {
		Unmerged entry = this.unmerged.get(id);
		TaskRow row = (entry != null) ? entry.row() : this.cached.get(id);
		if (row != null) {
			return new Lookup(row, 0, false);
		}
		return new Lookup(null, stamp(id), this.lastUnkeptSeq != 0);
	}

	/**
	 * Return the newest journal row of a task, if it is not merged yet and is kept.
	 */
	synchronized @Nullable TaskRow unmerged(String id) {
		Unmerged entry = this.unmerged.get(id);
		return (entry != null) ? entry.row() : null;
	}

	/**
	 * Return whether the journal may hold rows the task table does not have yet.
	 */
	synchronized boolean hasUnmerged() {
		return !this.unmerged.isEmpty() || this.lastUnkeptSeq != 0;
	}

	/**
	 * Keep a row read from the database, unless its task was written, deleted or cleaned
	 * up since the stamp was taken.
	 * @param stamp the stamp of the {@link #lookup} before the read
	 */
	synchronized void fill(String id, TaskRow row, long stamp) {
		if (stamp == stamp(id)) {
			cache(id, row);
		}
	}

	/**
	 * Take in rows the journal has committed, before their callers are released: each
	 * replaces what is kept of its task.
	 * @param rows the rows, in the order of the journal
	 * @param firstSeq the sequence number of the first
	 */
	synchronized void published(List<TaskRow> rows, long firstSeq) {
		long seq = firstSeq;
		for (TaskRow row : rows) {
			String id = row.id();
			this.changes[stripe(id)]++;
			uncache(id);
			Unmerged replaced = this.unmerged.remove(id);
			if (replaced != null) {
				this.unmergedBytes -= bytes(replaced.row());
			}
			long bytes = bytes(row);
			// A row kept is its task's newest, even while older rows of others are not kept
			if (this.unmerged.size() < MAX_UNMERGED_ROWS
					&& this.unmergedBytes + bytes <= MAX_UNMERGED_BYTES) {
				this.unmerged.put(id, new Unmerged(seq, row));
				this.unmergedBytes += bytes;
			}
			else {
				this.lastUnkeptSeq = seq;
			}
			seq++;
		}
	}

	/**
	 * Return how many cleanups have committed, for {@link #merged}.
	 */
	synchronized long cleanups() {
		return this.cleanups;
	}

	/**
	 * The journal rows up to a sequence number are in the task table now: keep them as rows
	 * of the table, unless a cleanup committed since the merge began, which may have deleted
	 * some of them.
	 * @param upToSeq the last sequence number merged
	 * @param cleanupsBefore the {@link #cleanups()} before the merge began
	 */
	synchronized void merged(long upToSeq, long cleanupsBefore) {
		boolean keep = cleanupsBefore == this.cleanups;
		for (Iterator<Map.Entry<String, Unmerged>> entries = this.unmerged.entrySet().iterator(); entries
			.hasNext();) {
			Map.Entry<String, Unmerged> entry = entries.next();
			Unmerged merged = entry.getValue();
			if (merged.seq() <= upToSeq) {
				entries.remove();
				this.unmergedBytes -= bytes(merged.row());
				if (keep) {
					cache(entry.getKey(), merged.row());
				}
			}
		}
		if (this.lastUnkeptSeq <= upToSeq) {
			this.lastUnkeptSeq = 0;
		}
	}

	/**
	 * A delete of a task has committed: it deleted the task from the table and its journal
	 * rows up to a sequence number.
	 */
	synchronized void deleted(String id, long upToSeq) {
		this.changes[stripe(id)]++;
		uncache(id);
		Unmerged entry = this.unmerged.get(id);
		if (entry != null && entry.seq() <= upToSeq) {
			this.unmerged.remove(id);
			this.unmergedBytes -= bytes(entry.row());
		}
	}

	/**
	 * A cleanup has committed that deleted finished tasks of the task table that completed
	 * before the cutoff, by a delete or by rebuilding the table. Rows of the journal stay.
	 */
	synchronized void deletedCompletedBefore(LocalDateTime cutoffUtc) {
		this.cleanups++;
		for (Iterator<TaskRow> rows = this.cached.values().iterator(); rows.hasNext();) {
			TaskRow row = rows.next();
			// Whatever the status: what is deleted completed before the cutoff, and more is fine
			if (row.completedAt() != null && row.completedAt().isBefore(cutoffUtc)) {
				rows.remove();
				this.cachedBytes -= bytes(row);
			}
		}
	}

	synchronized int unmergedRows() {
		return this.unmerged.size();
	}

	synchronized long unmergedBytes() {
		return this.unmergedBytes;
	}

	synchronized boolean unmergedOverflowed() {
		return this.lastUnkeptSeq != 0;
	}

	synchronized long cachedBytes() {
		return this.cachedBytes;
	}

	long maxCachedBytes() {
		return this.maxCachedBytes;
	}

	/**
	 * Return an estimate of the memory a row takes: two bytes per character of its text,
	 * and its objects.
	 */
	static long bytes(TaskRow row) {
		long chars = row.id().length() + row.name().length() + row.category().length() + row.status().length()
				+ length(row.result()) + length(row.error()) + length(row.args()) + length(row.kwargs())
				+ length(row.progressMessage()) + length(row.idempotencyKey()) + length(row.leaseOwner());
		return ROW_OVERHEAD_BYTES + 2 * chars;
	}

	private static int length(@Nullable String text) {
		return (text != null) ? text.length() : 0;
	}

	/**
	 * Return a number that changes whenever the task is written or deleted, or any
	 * cleanup commits: both counts only grow.
	 */
	private long stamp(String id) {
		return this.cleanups + this.changes[stripe(id)];
	}

	private static int stripe(String id) {
		return id.hashCode() & (STRIPES - 1);
	}

	private void cache(String id, TaskRow row) {
		uncache(id);
		long bytes = bytes(row);
		if (bytes > this.maxCachedBytes) {
			return;
		}
		this.cached.put(id, row);
		this.cachedBytes += bytes;
		for (Iterator<TaskRow> eldest = this.cached.values().iterator(); this.cachedBytes > this.maxCachedBytes;) {
			this.cachedBytes -= bytes(eldest.next());
			eldest.remove();
		}
	}

	private void uncache(String id) {
		TaskRow removed = this.cached.remove(id);
		if (removed != null) {
			this.cachedBytes -= bytes(removed);
		}
	}

	/**
	 * What {@link #lookup} found.
	 * @param row the row kept of the task, or {@code null} to read it from the database
	 * @param stamp the stamp to {@link #fill} the row read with
	 * @param inJournal whether the journal table may hold an unmerged row of the task
	 * that is not kept, which replaces the task table's
	 */
	record Lookup(@Nullable TaskRow row, long stamp, boolean inJournal) {

	}

	/**
	 * The newest journal row of a task and its sequence number.
	 */
	private record Unmerged(long seq, TaskRow row) {

	}

}
