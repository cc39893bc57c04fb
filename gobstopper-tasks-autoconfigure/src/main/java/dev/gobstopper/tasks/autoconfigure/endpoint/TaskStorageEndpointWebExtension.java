package dev.gobstopper.tasks.autoconfigure.endpoint;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} of the {@link TaskStorageEndpoint}:
 * over HTTP, payloads shown "when authorized" are shown to an authenticated user with one
 * of the roles, or with any role when none is configured.
 */
@EndpointWebExtension(endpoint = TaskStorageEndpoint.class)
public class TaskStorageEndpointWebExtension {

	private final TaskStorageEndpoint delegate;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Create a web extension.
	 * @param delegate the endpoint
	 * @param showValues when to show payloads
	 * @param roles the roles that may see payloads shown when authorized
	 */
	public TaskStorageEndpointWebExtension(TaskStorageEndpoint delegate, Show showValues, Set<String> roles) {
		this.delegate = delegate;
		this.showValues = showValues;
		this.roles = roles;
	}

	/**
	 * Return a task, its payloads masked unless shown to this caller.
	 * @param securityContext who asks
	 * @param id the task's id
	 * @return the task, or a 404 response if there is none
	 */
	@ReadOperation
	public WebEndpointResponse<TaskDescriptor> task(SecurityContext securityContext, @Selector String id) {
		TaskDescriptor task = this.delegate.task(id, this.showValues.isShown(securityContext, this.roles));
		return (task != null) ? new WebEndpointResponse<>(task)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
