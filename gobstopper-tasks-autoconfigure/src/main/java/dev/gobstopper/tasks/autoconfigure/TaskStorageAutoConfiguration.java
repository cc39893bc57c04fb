package dev.gobstopper.tasks.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.duckdb.DuckDbDataSource;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import dev.gobstopper.tasks.jdbc.JdbcTaskStorage;
import dev.gobstopper.tasks.support.TaskArguments;
import org.duckdb.DuckDBConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.util.unit.DataSize;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of a {@link TaskStorage}: on an embedded DuckDB file by default, or
 * on the application's own database with {@code gobstopper.tasks.store-type=jdbc}. An
 * application's own {@code TaskStorage} bean makes it back off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(AbstractDataSource.class)
@ConditionalOnBooleanProperty(name = "gobstopper.tasks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskStorageProperties.class)
public final class TaskStorageAutoConfiguration {

	private static final String STORE_TYPE = "gobstopper.tasks.store-type";

	/**
	 * The storage on a DuckDB file of its own, through a DuckDB data source of its own, so
	 * that the application's own data source, if any, is left alone.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DuckDBConnection.class)
	@ConditionalOnProperty(name = STORE_TYPE, havingValue = "duckdb", matchIfMissing = true)
	static class DuckDbStorageConfiguration {

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
		DuckDbTaskStorage taskStorage(@TaskStorageDataSource DataSource dataSource, TaskStorageProperties properties,
				ObjectProvider<Clock> clock) {
			DataSize cacheSize = properties.getDuckdb().getCacheSize();
			if (cacheSize.isNegative()) {
				throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.duckdb.cache-size", cacheSize,
						"The cache size must not be negative");
			}
			return DuckDbTaskStorage.builder(dataSource)
				.tableName(tableName(properties))
				.initializeSchema(initializeSchema(properties))
				.clock(clock.getIfUnique(Clock::systemUTC))
				.cacheSize(cacheSize)
				.shutdownTimeout(shutdownTimeout(properties))
				.build();
		}

	}

	/**
	 * The storage on the application's own database, shared by all its instances: the data
	 * source qualified {@link TaskStorageDataSource @TaskStorageDataSource} if there is one,
	 * otherwise the application's primary data source.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE_TYPE, havingValue = "jdbc")
	static class JdbcStorageConfiguration {

		@Bean
		@ConditionalOnMissingBean(TaskStorage.class)
		JdbcTaskStorage taskStorage(@TaskStorageDataSource ObjectProvider<DataSource> taskStorageDataSource,
				ObjectProvider<DataSource> dataSource, TaskStorageProperties properties, ObjectProvider<Clock> clock) {
			DataSource source = taskStorageDataSource.getIfAvailable(dataSource::getIfAvailable);
			if (source == null) {
				throw new NoTaskStorageDataSourceException();
			}
			return JdbcTaskStorage.builder(source)
				.tableName(tableName(properties))
				.initializeSchema(initializeSchema(properties))
				.clock(clock.getIfUnique(Clock::systemUTC))
				.shutdownTimeout(shutdownTimeout(properties))
				.build();
		}

	}

	static String tableName(TaskStorageProperties properties) {
		try {
			return TaskArguments.requireTableName(properties.getTableName());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.table-name",
					properties.getTableName(), ex.getMessage());
		}
	}

	static Duration shutdownTimeout(TaskStorageProperties properties) {
		Duration timeout = properties.getShutdownTimeout();
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("gobstopper.tasks.shutdown-timeout", timeout,
					"The shutdown timeout must be positive");
		}
		return timeout;
	}

	static boolean initializeSchema(TaskStorageProperties properties) {
		return properties.getInitializeSchema() == TaskStorageProperties.InitializeSchema.ALWAYS;
	}

}
