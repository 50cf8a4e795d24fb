package org.imgfn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CostModelTest {
    final CostModel consumption = new CostModel(0.000016, 0.20, 400_000, 1_000_000, 0.5, 0.0416);

    @Test
    void billsGbSecondsAndExecutions() {
        // 1e6 requests x 0.2 s x 0.5 GB = 100,000 GB-s = $1.60, plus $0.20 for the executions.
        assertThat(consumption.azurePerMillion(0.2)).isCloseTo(1.80, within(1e-9));
    }

    @Test
    void billsAtLeastOneHundredMilliseconds() {
        assertThat(consumption.azurePerMillion(0.01)).isCloseTo(consumption.azurePerMillion(0.1), within(1e-12));
    }

    @Test
    void theMonthlyGrantCoversAMillionShortRequests() {
        assertThat(consumption.azurePerMillionAfterGrant(0.2)).isZero();
        // 1e6 x 1 s x 0.5 GB = 500,000 GB-s; 100,000 over the grant.
        assertThat(consumption.azurePerMillionAfterGrant(1.0)).isCloseTo(1.60, within(1e-9));
    }

    @Test
    void aVmCostsTheHoursItIsBusy() {
        // 1e6 requests at 10/s = 27.78 h.
        assertThat(consumption.vmPerMillion(10)).isCloseTo(1e5 / 3600 * 0.0416, within(1e-9));
        assertThat(consumption.vmPerMonth()).isCloseTo(730 * 0.0416, within(1e-9));
    }
}
