package dev.gobstopper.tasks.autoconfigure;

import java.util.Set;

import dev.gobstopper.tasks.jdbc.JdbcTaskStorage;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitializationDetector;

/**
 * A {@link DependsOnDatabaseInitializationDetector} that starts the storage on the
 * application's database after the database is initialized, such as by Flyway or
 * Liquibase, so that those can create its table.
 */
class JdbcTaskStorageDependsOnDatabaseInitializationDetector
		extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

	@Override
	protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
		return Set.of(JdbcTaskStorage.class);
	}

}
