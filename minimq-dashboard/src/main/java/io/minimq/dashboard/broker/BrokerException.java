package io.minimq.dashboard.broker;

/**
 * The broker answered with an error, or could not be reached ({@link #status()} is then 502).
 * The message is safe to show to a client: it never holds a stack trace or a path.
 */
public class BrokerException extends RuntimeException {

    /** Status used when the broker did not answer at all. */
    public static final int UNREACHABLE = 502;

    private final int status;

    public BrokerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
        this.status = UNREACHABLE;
    }

    /** The broker's HTTP status, or 502 when it could not be reached. */
    public int status() {
        return status;
    }
}
