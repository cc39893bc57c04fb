package dev.gobstopper.tasks.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifier annotation for a DataSource to be injected into the auto-configured task
 * storage: a DuckDB one for {@code store-type=duckdb}, a PostgreSQL one for
 * {@code store-type=jdbc}, which otherwise uses the application's primary DataSource. If
 * used for a second data source, the other (main) one would normally be marked as
 * {@code @Primary}, or the task storage's one declared with
 * {@code @Bean(defaultCandidate = false)}.
 * <p>
 * The auto-configured DuckDB data source carries this qualifier too, so an application can
 * inject it to query its tasks directly.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE,
		ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface TaskStorageDataSource {

}
