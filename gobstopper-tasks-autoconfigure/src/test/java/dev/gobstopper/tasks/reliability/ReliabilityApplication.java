package dev.gobstopper.tasks.reliability;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application with nothing of its own but the task storage's auto-configuration, run in
 * child JVMs. Its main method starts it on the db-path given as the first argument, prints
 * "started" and stops; when startup fails it prints the messages of the failure's cause
 * chain and exits with status 1.
 * <p>
 * Neither a {@code @SpringBootConfiguration} nor a {@code @Configuration}: other tests that
 * search or scan this module's packages for an application must not find this one.
 */
@EnableAutoConfiguration
class ReliabilityApplication {

	static ConfigurableApplicationContext run(String dbPath) {
		return new SpringApplicationBuilder(ReliabilityApplication.class).web(WebApplicationType.NONE)
			.properties("gobstopper.tasks.db-path=" + dbPath, "gobstopper.tasks.cleanup.enabled=false",
					"spring.main.banner-mode=off")
			.run();
	}

	public static void main(String[] args) {
		try (ConfigurableApplicationContext context = run(args[0])) {
			System.out.println("started");
		}
		catch (Throwable ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				System.out.println("cause: " + cause.getClass().getName() + ": " + cause.getMessage());
			}
			System.out.flush();
			System.exit(1);
		}
	}

}
