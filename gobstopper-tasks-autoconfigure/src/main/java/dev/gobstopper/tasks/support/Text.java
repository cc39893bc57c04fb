package dev.gobstopper.tasks.support;

/**
 * Checks on text that is about to be stored.
 */
public final class Text {

	private Text() {
	}

	/**
	 * Return the value if every UTF-16 surrogate in it is paired. An unpaired surrogate has
	 * no UTF-8 form, so the driver would store it as '?' and a different string would read
	 * back.
	 * @param field the name of the field, for the message
	 * @param value the value to check
	 * @return the value
	 */
	public static String requireWellFormed(String field, String value) {
		int at = unpairedSurrogateIndex(value);
		if (at >= 0) {
			throw new TaskFieldException(field,
					"contains an unpaired UTF-16 surrogate at index " + at + " and cannot be stored");
		}
		return value;
	}

	private static int unpairedSurrogateIndex(String value) {
		for (int i = 0, length = value.length(); i < length; i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

}
