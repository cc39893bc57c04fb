package dev.gobstopper.tasks.autoconfigure.dashboard;

import java.time.Clock;
import java.util.regex.Pattern;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.autoconfigure.TaskStorageAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the task dashboard: a page that shows what the application's
 * tasks did, served by the application itself at {@code gobstopper.tasks.dashboard.path}
 * when {@code gobstopper.tasks.dashboard.enabled} is true, in a servlet web application
 * with Spring MVC.
 * <p>
 * Where the application's Spring Security rules cover the page, they protect it;
 * elsewhere it answers requests from this machine only, unless
 * {@code gobstopper.tasks.dashboard.allow-remote} is true. It is read-only unless
 * {@code gobstopper.tasks.dashboard.read-only} is false.
 */
@AutoConfiguration(after = TaskStorageAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.dashboard.enabled")
@ConditionalOnBean(TaskStorage.class)
@EnableConfigurationProperties(TaskDashboardProperties.class)
public final class TaskDashboardAutoConfiguration {

	/** Where the controllers are mapped: the path property, with its default. */
	static final String PATH = "${gobstopper.tasks.dashboard.path:/gobstopper/tasks}";

	private static final Pattern PLAIN_PATH = Pattern.compile("(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+");

	@Bean
	TaskDashboardPageController taskDashboardPageController(TaskDashboardProperties properties,
			ObjectProvider<ApplicationSecurity> security) {
		if (!PLAIN_PATH.matcher(properties.getPath()).matches()) {
			throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.dashboard.path",
					properties.getPath(), "The path must start with '/', not end with '/', and hold only letters, "
							+ "digits and '-', '_', '.' or '~' between its slashes, such as /gobstopper/tasks");
		}
		return new TaskDashboardPageController(properties.isReadOnly(), applicationSecurity(security));
	}

	@Bean
	TaskDashboardApiController taskDashboardApiController(TaskStorage taskStorage, ObjectProvider<Clock> clock) {
		return new TaskDashboardApiController(taskStorage, clock.getIfUnique(Clock::systemUTC));
	}

	@Bean
	TaskDashboardGuard taskDashboardGuard(TaskDashboardProperties properties,
			ObjectProvider<ApplicationSecurity> security) {
		return new TaskDashboardGuard(properties, applicationSecurity(security));
	}

	@Bean
	WebMvcConfigurer taskDashboardWebMvcConfigurer(TaskDashboardGuard guard) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(guard);
			}

		};
	}

	private static ApplicationSecurity applicationSecurity(ObjectProvider<ApplicationSecurity> security) {
		return security.getIfAvailable(() -> ApplicationSecurity.NONE);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SecurityFilterChain.class)
	static class SpringSecurityConfiguration {

		@Bean
		SpringSecurity taskDashboardSecurity(ObjectProvider<SecurityFilterChain> filterChains) {
			return new SpringSecurity(filterChains);
		}

	}

}
