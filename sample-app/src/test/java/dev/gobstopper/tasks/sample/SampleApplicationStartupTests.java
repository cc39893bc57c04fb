package dev.gobstopper.tasks.sample;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without its "postgres" profile, the sample has nothing but the starter for storage: no
 * database of its own and no {@code spring.datasource} settings.
 */
@Timeout(120)
class SampleApplicationStartupTests {

	@TempDir
	Path dir;

	@Test
	void theApplicationStartsWithATaskStorageAndNoDataSourceOfItsOwn() {
		Path db = this.dir.resolve("tasks.duckdb");
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--server.port=0", "--gobstopper.tasks.db-path=" + db)) {
			assertThat(context.getBean(TaskStorage.class)).isInstanceOf(DuckDbTaskStorage.class);
			assertThat(context.getAutowireCapableBeanFactory().createBean(DataSourceUser.class).dataSource).isEmpty();
			assertThat(Arrays.stream(context.getBeanNamesForType(DataSource.class))
				.map((name) -> (AbstractBeanDefinition) context.getBeanFactory().getMergedBeanDefinition(name))
				.filter((definition) -> definition.isPrimary() || definition.isDefaultCandidate())).isEmpty();
			assertThat(context.getBeanNamesForType(JdbcTemplate.class)).isEmpty();
			TaskStorage storage = context.getBean(TaskStorage.class);
			TaskInfo task = TaskInfo.builder().name("check").category("startup").build();
			storage.saveTask(task);
			assertThat(storage.getTask(task.id())).contains(task);
			assertThat(db).isRegularFile();
		}
	}

	@Test
	void theDemoExecutorLeavesBootsApplicationTaskExecutorInPlace() {
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--server.port=0", "--gobstopper.tasks.db-path=" + this.dir.resolve("tasks.duckdb"))) {
			assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(TaskExecutor.class);
			assertThat(context.containsBean("demoTaskExecutor")).isTrue();
			assertThat(context.getBeanFactory().getBeanDefinition("demoTaskExecutor"))
				.isInstanceOfSatisfying(AbstractBeanDefinition.class,
						(definition) -> assertThat(definition.isDefaultCandidate()).isFalse());
		}
	}

	/**
	 * Application code that would use a DataSource if the application had one.
	 */
	static final class DataSourceUser {

		final Optional<DataSource> dataSource;

		@Autowired
		DataSourceUser(Optional<DataSource> dataSource) {
			this.dataSource = dataSource;
		}

	}

}
