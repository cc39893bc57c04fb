package dev.gobstopper.tasks.autoconfigure.endpoint;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@link TaskStorageEndpoint}.
 */
@ConfigurationProperties("management.endpoint.gobstoppertasks")
public class TaskStorageEndpointProperties {

	/**
	 * When to show a task's payloads (result, args, kwargs and error) unmasked.
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles that may see unmasked payloads when they are shown "when-authorized". When
	 * empty, every authenticated user may.
	 */
	private final Set<String> roles = new LinkedHashSet<>();

	public Show getShowValues() {
		return this.showValues;
	}

	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

}
