package dev.gobstopper.tasks.autoconfigure.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the task dashboard.
 */
@ConfigurationProperties("gobstopper.tasks.dashboard")
public class TaskDashboardProperties {

	/**
	 * Whether to serve the task dashboard. It is served only by a servlet web application
	 * with Spring MVC.
	 */
	private boolean enabled;

	/**
	 * Path of the dashboard page; its JSON API is served below it.
	 */
	private String path = "/gobstopper/tasks";

	/**
	 * Whether the dashboard only shows tasks. When false, it also offers to delete a task
	 * and to clean up old finished tasks.
	 */
	private boolean readOnly = true;

	/**
	 * Whether the dashboard answers requests from other machines when the application has
	 * no Spring Security rules that cover it. When false, it answers only requests from
	 * the loopback address.
	 */
	private boolean allowRemote;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public boolean isAllowRemote() {
		return this.allowRemote;
	}

	public void setAllowRemote(boolean allowRemote) {
		this.allowRemote = allowRemote;
	}

}
