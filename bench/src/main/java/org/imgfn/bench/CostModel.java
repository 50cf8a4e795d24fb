package org.imgfn.bench;

/**
 * Cost of a million requests. Azure Functions Consumption bills each execution's duration (at least
 * 100 ms) times its memory in GB-seconds, plus a price per execution; a fixed faasd VM costs its hourly
 * price whether busy or idle, so a million requests cost the hours they keep it busy at the measured rate.
 *
 * @param azurePricePerGbSecond     USD per GB-s (Consumption: 0.000016)
 * @param azurePricePerMillion      USD per million executions (Consumption: 0.20)
 * @param azureFreeGbSeconds        monthly free grant in GB-s (400,000)
 * @param azureFreeExecutions       monthly free executions (1,000,000)
 * @param azureMemoryGb             memory billed per execution, GB (observed memory, rounded up to 128 MB)
 * @param vmPricePerHour            USD per hour of the faasd VM
 */
record CostModel(double azurePricePerGbSecond, double azurePricePerMillion, double azureFreeGbSeconds,
                 double azureFreeExecutions, double azureMemoryGb, double vmPricePerHour) {

    /** Azure's cost of one million requests lasting {@code meanSeconds}, free grant not deducted. */
    double azurePerMillion(double meanSeconds) {
        double billedSeconds = Math.max(0.1, meanSeconds);
        return 1e6 * billedSeconds * azureMemoryGb * azurePricePerGbSecond + azurePricePerMillion;
    }

    /** Azure's cost of one million requests in a month that has the free grant left. */
    double azurePerMillionAfterGrant(double meanSeconds) {
        double gbSeconds = 1e6 * Math.max(0.1, meanSeconds) * azureMemoryGb;
        double paidGbSeconds = Math.max(0, gbSeconds - azureFreeGbSeconds);
        double paidExecutions = Math.max(0, 1e6 - azureFreeExecutions);
        return paidGbSeconds * azurePricePerGbSecond + paidExecutions / 1e6 * azurePricePerMillion;
    }

    /** The VM's cost of the hours a million requests keep it busy at {@code requestsPerSecond}. */
    double vmPerMillion(double requestsPerSecond) {
        return requestsPerSecond <= 0 ? Double.NaN : 1e6 / requestsPerSecond / 3600 * vmPricePerHour;
    }

    double vmPerMonth() {
        return 730 * vmPricePerHour;
    }
}
