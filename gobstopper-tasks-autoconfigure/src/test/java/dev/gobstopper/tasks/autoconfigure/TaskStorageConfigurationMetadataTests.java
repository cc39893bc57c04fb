package dev.gobstopper.tasks.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the IDE metadata that the configuration processor writes for
 * {@link TaskStorageProperties} and the properties of the actuator integrations.
 */
class TaskStorageConfigurationMetadataTests {

	private static final String PREFIX = "gobstopper.tasks.";

	private static final String ENDPOINT_PREFIX = "management.endpoint.gobstoppertasks.";

	private static final String HEALTH_PREFIX = "management.health.gobstoppertasks.";

	@Test
	void everyPropertyIsDescribedInTheConfigurationMetadata() throws IOException {
		Map<String, String> descriptions = descriptions(PREFIX);
		assertThat(descriptions).containsOnlyKeys(PREFIX + "enabled", PREFIX + "store-type", PREFIX + "db-path",
				PREFIX + "table-name", PREFIX + "initialize-schema", PREFIX + "shutdown-timeout",
				PREFIX + "cleanup.enabled",
				PREFIX + "cleanup.cron", PREFIX + "cleanup.retention", PREFIX + "leases.reclaim-enabled", PREFIX + "leases.reclaim-interval",
				PREFIX + "leases.reclaim-batch", PREFIX + "duckdb.memory-limit", PREFIX + "duckdb.threads",
				PREFIX + "duckdb.storage-compatibility-version", PREFIX + "duckdb.cache-size", PREFIX + "dashboard.enabled",
				PREFIX + "dashboard.path", PREFIX + "dashboard.read-only", PREFIX + "dashboard.allow-remote");
		assertThat(descriptions).allSatisfy((name, description) -> assertThat(description).as(name).isNotBlank());
	}

	@Test
	void everyPropertyOfTheActuatorIntegrationsIsDescribedInTheConfigurationMetadata() throws IOException {
		Map<String, String> descriptions = descriptions(ENDPOINT_PREFIX, HEALTH_PREFIX);
		assertThat(descriptions).containsOnlyKeys(ENDPOINT_PREFIX + "access", ENDPOINT_PREFIX + "cache.time-to-live",
				ENDPOINT_PREFIX + "show-values", ENDPOINT_PREFIX + "roles", HEALTH_PREFIX + "enabled",
				HEALTH_PREFIX + "failure-threshold");
		assertThat(descriptions).allSatisfy((name, description) -> assertThat(description).as(name).isNotBlank());
		assertThat(descriptions.get(HEALTH_PREFIX + "enabled")).startsWith("Whether");
	}

	@Test
	void booleanPropertiesAreDescribedWithWhether() throws IOException {
		Map<String, String> descriptions = descriptions(PREFIX);
		assertThat(descriptions.get(PREFIX + "enabled")).startsWith("Whether");
		assertThat(descriptions.get(PREFIX + "cleanup.enabled")).startsWith("Whether");
		assertThat(descriptions.get(PREFIX + "leases.reclaim-enabled")).startsWith("Whether");
		assertThat(descriptions.get(PREFIX + "dashboard.enabled")).startsWith("Whether");
		assertThat(descriptions.get(PREFIX + "dashboard.read-only")).startsWith("Whether");
		assertThat(descriptions.get(PREFIX + "dashboard.allow-remote")).startsWith("Whether");
	}

	private Map<String, String> descriptions(String... prefixes) throws IOException {
		ObjectMapper mapper = new ObjectMapper();
		Map<String, String> descriptions = new LinkedHashMap<>();
		for (URL url : metadataFiles()) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					String name = property.path("name").asText();
					if (Arrays.stream(prefixes).anyMatch(name::startsWith)) {
						descriptions.put(name, property.path("description").asText(""));
					}
				}
			}
		}
		return descriptions;
	}

	private List<URL> metadataFiles() throws IOException {
		List<URL> urls = new ArrayList<>(Collections
			.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json")));
		assertThat(urls).isNotEmpty();
		return urls;
	}

}
