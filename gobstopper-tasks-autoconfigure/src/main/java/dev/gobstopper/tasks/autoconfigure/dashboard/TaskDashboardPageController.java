package dev.gobstopper.tasks.autoconfigure.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.DigestUtils;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves the dashboard page and its script and style sheet, from the starter's jar.
 */
@Controller
@RequestMapping(TaskDashboardAutoConfiguration.PATH)
class TaskDashboardPageController {

	/** Only the dashboard's own script and styles; no frames, no other origin. */
	private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
			+ "style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
			+ "frame-ancestors 'none'";

	private static final String NOSNIFF = "X-Content-Type-Options";

	private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

	private static final MediaType CSS = MediaType.parseMediaType("text/css;charset=UTF-8");

	private final String page;

	private final Asset script;

	private final Asset styles;

	private final boolean readOnly;

	private final ApplicationSecurity security;

	TaskDashboardPageController(boolean readOnly, ApplicationSecurity security) {
		this.page = new String(read("index.html"), StandardCharsets.UTF_8);
		this.script = new Asset(read("dashboard.js"));
		this.styles = new Asset(read("dashboard.css"));
		this.readOnly = readOnly;
		this.security = security;
	}

	@GetMapping
	ResponseEntity<String> page(HttpServletRequest request) {
		ApplicationSecurity.CsrfToken csrf = this.security.csrfToken(request);
		String html = this.page.replace("{{base}}", HtmlUtils.htmlEscape(request.getRequestURI()))
			.replace("{{readOnly}}", String.valueOf(this.readOnly))
			.replace("{{csrfHeader}}", (csrf != null) ? HtmlUtils.htmlEscape(csrf.headerName()) : "")
			.replace("{{csrfToken}}", (csrf != null) ? HtmlUtils.htmlEscape(csrf.token()) : "");
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Frame-Options", "DENY")
			.header(NOSNIFF, "nosniff")
			.header("Referrer-Policy", "no-referrer")
			.body(html);
	}

	@GetMapping("/dashboard.js")
	ResponseEntity<byte[]> script() {
		return this.script.response(JAVASCRIPT);
	}

	@GetMapping("/dashboard.css")
	ResponseEntity<byte[]> styles() {
		return this.styles.response(CSS);
	}

	private static byte[] read(String name) {
		try (InputStream in = new ClassPathResource(name, TaskDashboardPageController.class).getInputStream()) {
			return StreamUtils.copyToByteArray(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The dashboard's " + name + " is missing from the class path", ex);
		}
	}

	/**
	 * A file of the page, revalidated by its ETag so that a new version of the starter is
	 * picked up at once.
	 */
	private record Asset(byte[] content, String etag) {

		Asset(byte[] content) {
			this(content, "\"" + DigestUtils.md5DigestAsHex(content) + "\"");
		}

		ResponseEntity<byte[]> response(MediaType type) {
			return ResponseEntity.ok()
				.contentType(type)
				.cacheControl(CacheControl.noCache())
				.eTag(this.etag)
				.header(NOSNIFF, "nosniff")
				.body(this.content);
		}

	}

}
