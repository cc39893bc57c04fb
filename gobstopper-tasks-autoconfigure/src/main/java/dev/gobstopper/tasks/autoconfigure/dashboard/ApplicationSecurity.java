package dev.gobstopper.tasks.autoconfigure.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the application's own security does for the dashboard's requests. This one stands
 * for an application without Spring Security: no rules, no CSRF token.
 */
class ApplicationSecurity {

	static final ApplicationSecurity NONE = new ApplicationSecurity();

	/**
	 * Return whether the application has security rules of its own.
	 */
	boolean hasRules() {
		return false;
	}

	/**
	 * Return whether the application's rules apply to the request.
	 */
	boolean covers(HttpServletRequest request) {
		return false;
	}

	/**
	 * Return the CSRF token that the request's writes must carry, if the application has
	 * one.
	 */
	@Nullable CsrfToken csrfToken(HttpServletRequest request) {
		return null;
	}

	/**
	 * A CSRF token, and the header that carries it.
	 */
	record CsrfToken(String headerName, String token) {

	}

}
