package dev.gobstopper.tasks.autoconfigure.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The application's Spring Security: its filter chains' rules protect the dashboard, and
 * its CSRF token protects the dashboard's writes.
 */
class SpringSecurity extends ApplicationSecurity {

	private final ObjectProvider<SecurityFilterChain> filterChains;

	SpringSecurity(ObjectProvider<SecurityFilterChain> filterChains) {
		this.filterChains = filterChains;
	}

	@Override
	boolean hasRules() {
		return this.filterChains.stream().findAny().isPresent();
	}

	@Override
	boolean covers(HttpServletRequest request) {
		return this.filterChains.stream().anyMatch((chain) -> chain.matches(request));
	}

	@Override
	@Nullable CsrfToken csrfToken(HttpServletRequest request) {
		Object attribute = request.getAttribute(org.springframework.security.web.csrf.CsrfToken.class.getName());
		if (attribute instanceof org.springframework.security.web.csrf.CsrfToken token) {
			return new CsrfToken(token.getHeaderName(), token.getToken());
		}
		return null;
	}

}
