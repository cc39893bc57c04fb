package dev.gobstopper.tasks.autoconfigure.endpoint;

import java.time.Clock;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link TaskStorageEndpoint}, when Spring Boot Actuator is on
 * the class path and the endpoint is available. An application's own endpoint or web
 * extension bean makes it back off.
 */
@AutoConfiguration(after = TaskStorageAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(TaskStorageEndpoint.class)
@EnableConfigurationProperties(TaskStorageEndpointProperties.class)
public final class TaskStorageEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(TaskStorage.class)
	@ConditionalOnMissingBean
	TaskStorageEndpoint gobstopperTasksEndpoint(TaskStorage taskStorage, TaskStorageEndpointProperties properties,
			ObjectProvider<SanitizingFunction> sanitizingFunctions, ObjectProvider<Clock> clock) {
		return new TaskStorageEndpoint(taskStorage, sanitizingFunctions.orderedStream().toList(),
				properties.getShowValues(), clock.getIfUnique(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnBean(TaskStorageEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	TaskStorageEndpointWebExtension gobstopperTasksEndpointWebExtension(TaskStorageEndpoint endpoint,
			TaskStorageEndpointProperties properties) {
		return new TaskStorageEndpointWebExtension(endpoint, properties.getShowValues(), properties.getRoles());
	}

}
