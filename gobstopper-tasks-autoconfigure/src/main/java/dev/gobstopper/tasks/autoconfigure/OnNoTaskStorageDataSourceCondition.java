package dev.gobstopper.tasks.autoconfigure;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.Assert;

/**
 * Matches when the application declares no data source qualified with
 * {@link TaskStorageDataSource @TaskStorageDataSource}. Boot's bean conditions skip beans declared with {@code defaultCandidate = false},
 * which is how a second data source is usually declared, so they cannot tell.
 */
class OnNoTaskStorageDataSourceCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		Assert.state(beanFactory != null, "No bean factory");
		List<String> dataSources = List.of(beanFactory.getBeanNamesForType(DataSource.class, true, false));
		List<String> qualified = Arrays.stream(beanFactory.getBeanNamesForAnnotation(TaskStorageDataSource.class))
			.filter(dataSources::contains)
			.toList();
		if (!qualified.isEmpty()) {
			return ConditionOutcome.noMatch("found @TaskStorageDataSource data source(s) " + qualified);
		}
		return ConditionOutcome.match("no @TaskStorageDataSource data source");
	}

}
