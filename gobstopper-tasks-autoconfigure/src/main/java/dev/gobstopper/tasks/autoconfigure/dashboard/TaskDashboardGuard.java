package dev.gobstopper.tasks.autoconfigure.dashboard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.gobstopper.tasks.autoconfigure.dashboard.DashboardViews.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Decides who may use the dashboard, before any of its handlers runs. Where the
 * application's Spring Security rules cover a request, they decide; elsewhere only
 * requests from this machine are answered, unless remote ones are allowed. Writes are
 * refused when the dashboard is read-only, and whenever they do not come from the
 * dashboard's own page.
 */
class TaskDashboardGuard implements HandlerInterceptor, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(TaskDashboardGuard.class);

	private static final Set<Class<?>> DASHBOARD = Set.of(TaskDashboardPageController.class,
			TaskDashboardApiController.class);

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?");

	private static final String FETCH_SITE = "Sec-Fetch-Site";

	private final TaskDashboardProperties properties;

	private final ApplicationSecurity security;

	TaskDashboardGuard(TaskDashboardProperties properties, ApplicationSecurity security) {
		this.properties = properties;
		this.security = security;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.properties.isAllowRemote() && !this.security.hasRules()) {
			logger.warn("The task dashboard at " + this.properties.getPath() + " answers requests from any address, "
					+ "and the application has no Spring Security rules to protect it: anyone who can reach this "
					+ "server can read its tasks" + (this.properties.isReadOnly() ? "" : " and delete them")
					+ ". Protect it with Spring Security, or set gobstopper.tasks.dashboard.allow-remote=false.");
		}
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (!(handler instanceof HandlerMethod method) || !DASHBOARD.contains(method.getBeanType())) {
			return true;
		}
		boolean api = method.getBeanType() == TaskDashboardApiController.class;
		if (!this.properties.isAllowRemote() && !this.security.covers(request) && !isLocal(request)) {
			return refuse(response, api, "The task dashboard answers requests from this machine only.");
		}
		boolean read = HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
		if (!read && this.properties.isReadOnly()) {
			return refuse(response, api, "The task dashboard is read-only.");
		}
		if (!read && !isSameOrigin(request)) {
			return refuse(response, api, "The task dashboard accepts writes from its own page only.");
		}
		if (read && api && isCrossOrigin(request)) {
			return refuse(response, api, "The task dashboard's data is for its own page only.");
		}
		return true;
	}

	/**
	 * Refuse a request: the API in its JSON, the page and its files in plain text.
	 */
	private static boolean refuse(HttpServletResponse response, boolean api, String reason) throws IOException {
		response.setStatus(HttpStatus.FORBIDDEN.value());
		if (api) {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(DashboardJson.bytes(new Problem(reason)));
		}
		else {
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter().write(reason);
		}
		return false;
	}

	/**
	 * Whether the request comes from this machine directly: from a loopback address,
	 * through no proxy, and naming a loopback host, so that a page of another site whose
	 * name was made to point at this machine (DNS rebinding) is not taken for a local one.
	 */
	static boolean isLocal(HttpServletRequest request) {
		if (request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null) {
			return false;
		}
		return isLoopback(request.getRemoteAddr()) && isLoopbackName(request.getServerName());
	}

	private static boolean isLoopbackName(String host) {
		return "localhost".equals(host.toLowerCase(Locale.ROOT)) || isLoopback(host);
	}

	private static boolean isLoopback(String address) {
		if (!IP_LITERAL.matcher(address).matches()) {
			return false;
		}
		try {
			// A literal address, so no name is looked up
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * Whether a write comes from a page of the same origin, by the browser's
	 * {@code Sec-Fetch-Site} header, or where a browser sends none, by its {@code Origin}.
	 */
	static boolean isSameOrigin(HttpServletRequest request) {
		String site = request.getHeader(FETCH_SITE);
		if (site != null) {
			return "same-origin".equals(site);
		}
		return request.getHeader(HttpHeaders.ORIGIN) != null
				&& WebUtils.isSameOrigin(new ServletServerHttpRequest(request));
	}

	/**
	 * Whether a browser says that a page of another origin sent the request, which an
	 * application's broad CORS settings might otherwise let it read.
	 */
	private static boolean isCrossOrigin(HttpServletRequest request) {
		String site = request.getHeader(FETCH_SITE);
		return site != null && !"same-origin".equals(site) && !"none".equals(site);
	}

}
