package io.loyaltylakehouse.common.model;

/** A {@code redemption_results} message. {@code reason} is null when accepted. */
public record RedemptionResult(String redemptionId, String userId, long points, Status status, String reason) {
    public enum Status {
        ACCEPTED,
        REJECTED
    }
}
