package io.minimq.common;

/** A topic or group name that breaks the naming rule of the HTTP API. */
public final class InvalidNameException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidNameException(String message) {
        super(message);
    }
}
