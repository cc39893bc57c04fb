package dev.gobstopper.tasks.autoconfigure.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the task storage's health check.
 */
@ConfigurationProperties("management.health.gobstoppertasks")
public class TaskStorageHealthIndicatorProperties {

	/**
	 * How long the storage's background work may keep failing before the health check
	 * reports it down. On DuckDB, that work is merging the journal of saves into the task
	 * table: saves still succeed while it fails, but the journal grows.
	 */
	private Duration failureThreshold = Duration.ofMinutes(1);

	public Duration getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(Duration failureThreshold) {
		this.failureThreshold = failureThreshold;
	}

}
