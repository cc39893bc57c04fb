package dev.gobstopper.tasks.reliability;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorage;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A command-line application, run in a child JVM: no web server, default settings but the
 * db-path given as its first argument, and an {@code ApplicationRunner} that saves a task,
 * reads it back and prints it. Then its main method returns, leaving the context open, as
 * a command-line tool built on Boot does.
 * <p>
 * Neither a {@code @SpringBootConfiguration} nor a {@code @Configuration}: other tests that
 * search or scan this module's packages for an application must not find this one.
 */
@EnableAutoConfiguration
@Import(CommandLineApplication.Runner.class)
class CommandLineApplication {

	public static void main(String[] args) {
		new SpringApplicationBuilder(CommandLineApplication.class).web(WebApplicationType.NONE)
			.properties("gobstopper.tasks.db-path=" + args[0], "spring.main.banner-mode=off")
			.run();
	}

	static class Runner {

		@Bean
		ApplicationRunner saveAndRead(TaskStorage storage) {
			return (arguments) -> {
				TaskInfo task = TaskInfo.builder().id("cli-task").name("import").category("cli").build();
				storage.saveTask(task);
				System.out.println("read " + storage.getTask(task.id()).map(TaskInfo::name).orElse("nothing"));
			};
		}

	}

}
