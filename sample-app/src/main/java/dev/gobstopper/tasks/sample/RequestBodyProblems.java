package dev.gobstopper.tasks.sample;

import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Describes why a JSON request body could not be read, naming the field at fault and
 * never echoing the body.
 */
final class RequestBodyProblems {

	private RequestBodyProblems() {
	}

	static String describe(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return "Unknown field '" + path(unknown) + "'; the known fields are " + unknown.getKnownPropertyIds()
				.stream()
				.map(String::valueOf)
				.sorted()
				.collect(Collectors.joining(", "));
		}
		if (cause instanceof InputCoercionException outOfRange && !outOfRange.getPath().isEmpty()) {
			return path(outOfRange) + " is out of range";
		}
		if (cause instanceof StreamReadException) {
			return "The request body is not valid JSON";
		}
		if (cause instanceof MismatchedInputException mismatch) {
			if (mismatch.getPath().isEmpty()) {
				return "The request body must be a JSON object";
			}
			return path(mismatch) + " must be " + expected(mismatch.getTargetType());
		}
		return "The request body could not be read";
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String expected(@Nullable Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type != null && Map.class.isAssignableFrom(type)) {
			return "a JSON object";
		}
		return "a valid value";
	}

}
