package dev.gobstopper.tasks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskStatusTests {

	@Test
	void valuesAreTheLowerCaseNamesTheOriginalStores() {
		assertThat(TaskStatus.values()).extracting(TaskStatus::value)
			.containsExactly("pending", "started", "success", "failed", "cancelled", "retry");
	}

	@ParameterizedTest
	@EnumSource(TaskStatus.class)
	void fromValueReturnsTheStatusStoredAsThatValue(TaskStatus status) {
		assertThat(TaskStatus.fromValue(status.value())).isSameAs(status);
	}

	@ParameterizedTest
	@ValueSource(strings = { "PENDING", "Pending", "running", "", " pending" })
	void fromValueRejectsAnUnknownValue(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskStatus.fromValue(value)).withMessageContaining(value);
	}

	@Test
	void fromValueRejectsNull() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskStatus.fromValue(null));
	}

	@Test
	void onlySuccessFailedAndCancelledAreTerminal() {
		assertThat(TaskStatus.values()).filteredOn(TaskStatus::isTerminal)
			.containsExactlyInAnyOrder(TaskStatus.SUCCESS, TaskStatus.FAILED, TaskStatus.CANCELLED);
	}

}
