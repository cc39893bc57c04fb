package dev.gobstopper.tasks.autoconfigure;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBConnection;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of a {@link TaskStorage} on an embedded
 * DuckDB file. The storage keeps a DuckDB data source of its own, so the application's own
 * data source, if any, is left alone.
 */
@AutoConfiguration
@ConditionalOnClass({ DuckDBConnection.class, AbstractDataSource.class })
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskStorageProperties.class)
public final class TaskStorageAutoConfiguration {

	@Bean(defaultCandidate = false)
	@TaskStorageDataSource
	@ConditionalOnMissingBean(TaskStorage.class)
	@Conditional(OnNoTaskStorageDataSourceCondition.class)
	DuckDbDataSource taskStorageDataSource(TaskStorageProperties properties) {
		TaskStorageProperties.Duckdb duckdb = properties.getDuckdb();
		if (duckdb.getThreads() < 1) {
			throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.duckdb.threads",
					duckdb.getThreads(), "DuckDB needs at least one thread");
		}
		if (duckdb.getMemoryLimit().toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.duckdb.memory-limit",
					duckdb.getMemoryLimit(), "The memory limit must be positive");
		}
		return new DuckDbDataSource(properties.getDbPath(), duckdb.getMemoryLimit(), duckdb.getThreads(),
				duckdb.getStorageCompatibilityVersion());
	}

	@Bean
	@ConditionalOnMissingBean(TaskStorage.class)
	DuckDbTaskStorage taskStorage(@TaskStorageDataSource DataSource dataSource, TaskStorageProperties properties) {
		DuckDbTaskStorage.Builder builder = DuckDbTaskStorage.builder(dataSource)
			.initializeSchema(properties.getInitializeSchema() == TaskStorageProperties.InitializeSchema.ALWAYS);
		try {
			builder.tableName(properties.getTableName());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.table-name",
					properties.getTableName(), ex.getMessage());
		}
		return builder.build();
	}

}
