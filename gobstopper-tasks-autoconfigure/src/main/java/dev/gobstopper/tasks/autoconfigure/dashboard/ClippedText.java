package dev.gobstopper.tasks.autoconfigure.dashboard;

/**
 * A text cut to at most a number of UTF-8 bytes, with the size of the whole, so that one
 * huge result or error cannot make a task's detail unreadable.
 *
 * @param text the text, or its beginning
 * @param size the size of the whole text in UTF-8 bytes
 * @param clipped whether {@code text} is only the beginning
 */
record ClippedText(String text, long size, boolean clipped) {

	/** The most bytes of a text the dashboard shows: 64 KB. */
	static final int LIMIT = 64 * 1024;

	static ClippedText of(String text) {
		return of(text, LIMIT);
	}

	static ClippedText of(String text, int limit) {
		long size = 0;
		int end = -1;
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			size += utf8Length(codePoint);
			if (end < 0 && size > limit) {
				end = i;
			}
			i += Character.charCount(codePoint);
		}
		return (end < 0) ? new ClippedText(text, size, false) : new ClippedText(text.substring(0, end), size, true);
	}

	private static int utf8Length(int codePoint) {
		if (codePoint < 0x80) {
			return 1;
		}
		if (codePoint < 0x800) {
			return 2;
		}
		return (codePoint < 0x10000) ? 3 : 4;
	}

}
