package io.loyaltylakehouse.load.traffic;

import io.loyaltylakehouse.common.config.Settings;

/**
 * The relative weights of what a step does and the shares inside each kind (load.mix.* and friends in
 * load-generator.properties).
 */
public record TrafficMix(
        double purchase,
        double outOfOrder,
        double late,
        double duplicate,
        double redemption,
        double redemptionDuplicate,
        double redemptionOverBalance,
        double badRecord,
        double fraudBurst,
        double legacy,
        int promotions,
        double promotionsWithdrawn,
        double promotionsGlobal,
        int promotionsBad,
        double dualShare,
        double conflictShare) {

    public static TrafficMix from(final Settings settings) {
        return new TrafficMix(
                share(settings, "load.mix.purchase"),
                share(settings, "load.mix.out-of-order"),
                share(settings, "load.mix.late"),
                share(settings, "load.mix.duplicate"),
                share(settings, "load.mix.redemption"),
                share(settings, "load.mix.redemption-duplicate"),
                share(settings, "load.mix.redemption-over-balance"),
                share(settings, "load.mix.bad-record"),
                share(settings, "load.mix.fraud-burst"),
                share(settings, "load.mix.legacy"),
                settings.requireInt("load.promotions.count"),
                share(settings, "load.promotions.withdrawn-share"),
                share(settings, "load.promotions.global-share"),
                settings.requireInt("load.promotions.bad"),
                share(settings, "load.legacy.dual-share"),
                share(settings, "load.legacy.conflict-share"));
    }

    private static double share(final Settings settings, final String key) {
        final double value = Double.parseDouble(settings.require(key));
        if (value < 0) {
            throw new IllegalStateException("setting '" + key + "' must be >= 0, got " + value);
        }
        return value;
    }
}
