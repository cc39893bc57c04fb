package dev.gobstopper.tasks.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A store's SQL script on the class path, such as its schema: statements separated by
 * semicolons, with {@code --} comment lines, and {@code ${name}} placeholders for
 * identifiers that the store has validated.
 */
public final class SqlScript {

	private SqlScript() {
	}

	/**
	 * Read the statements of a script that sits beside the given class.
	 * @param owner the class whose package holds the script
	 * @param name the file name of the script
	 * @param placeholders the value of each placeholder
	 * @return the statements, without comments and trailing semicolons
	 */
	public static List<String> statements(Class<?> owner, String name, Map<String, String> placeholders) {
		String text = read(owner, name);
		for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
			text = text.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
		}
		String withoutComments = text.lines()
			.filter((line) -> !line.stripLeading().startsWith("--"))
			.collect(Collectors.joining("\n"));
		return Arrays.stream(withoutComments.split(";")).map(String::strip).filter((s) -> !s.isEmpty()).toList();
	}

	private static String read(Class<?> owner, String name) {
		try (InputStream in = owner.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("SQL script '" + name + "' is missing beside " + owner.getName());
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
