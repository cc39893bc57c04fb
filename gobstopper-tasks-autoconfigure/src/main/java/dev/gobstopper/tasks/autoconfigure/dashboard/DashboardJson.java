package dev.gobstopper.tasks.autoconfigure.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Writes the dashboard's JSON with a mapper of its own, so that the application's Jackson
 * settings, such as a naming strategy, cannot change what the page reads.
 */
final class DashboardJson {

	private static final ObjectMapper mapper = new ObjectMapper();

	private static final ObjectWriter prettyWriter = mapper.writerWithDefaultPrettyPrinter();

	private DashboardJson() {
	}

	static ResponseEntity<byte[]> response(HttpStatusCode status, Object body) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.body(bytes(body));
	}

	static byte[] bytes(Object body) {
		try {
			return mapper.writeValueAsBytes(body);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write the dashboard's JSON", ex);
		}
	}

	/**
	 * Return a JSON value as indented text, or its {@code toString()} when Jackson cannot
	 * write it.
	 */
	static String pretty(@Nullable Object value) {
		try {
			return prettyWriter.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			return String.valueOf(value);
		}
	}

}
