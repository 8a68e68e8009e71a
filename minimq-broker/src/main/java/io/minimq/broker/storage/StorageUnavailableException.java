package io.minimq.broker.storage;

/** The back end is not reachable or not ready yet (HTTP 503), e.g. a Kafka cluster that is down. */
public class StorageUnavailableException extends StorageException {

    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
