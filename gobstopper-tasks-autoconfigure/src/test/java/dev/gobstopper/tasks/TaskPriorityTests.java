package dev.gobstopper.tasks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskPriorityTests {

	@Test
	void valuesRunFromOneForLowToFourForCritical() {
		assertThat(TaskPriority.values()).extracting(TaskPriority::value).containsExactly(1, 2, 3, 4);
		assertThat(TaskPriority.values()).containsExactly(TaskPriority.LOW, TaskPriority.NORMAL, TaskPriority.HIGH,
				TaskPriority.CRITICAL);
	}

	@ParameterizedTest
	@EnumSource(TaskPriority.class)
	void fromValueReturnsThePriorityStoredAsThatValue(TaskPriority priority) {
		assertThat(TaskPriority.fromValue(priority.value())).isSameAs(priority);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 5, -1, 9, Integer.MAX_VALUE })
	void fromValueRejectsAValueOutsideOneToFour(int value) {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskPriority.fromValue(value))
			.withMessageContaining(String.valueOf(value));
	}

}
