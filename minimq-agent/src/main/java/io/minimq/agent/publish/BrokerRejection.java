package io.minimq.agent.publish;

/** The broker answered a produce request with an error status. */
final class BrokerRejection extends RuntimeException {

    private final int status;

    BrokerRejection(int status, String problemTitle) {
        super("HTTP " + status + (problemTitle.isBlank() ? "" : " " + problemTitle), null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** 401/403: the token is missing, unknown or lacks the produce role. */
    boolean isAuthentication() {
        return status == 401 || status == 403;
    }

    /**
     * Whether sending the same request again can succeed: not for a request the broker finds
     * malformed (400), too large (413, 415) or out of sequence (409).
     */
    boolean isRetryable() {
        return !(status == 400 || status == 409 || status == 413 || status == 415 || status == 422);
    }
}
