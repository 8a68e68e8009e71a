package io.minimq.broker.storage;

/** Base of the errors a storage back end reports to the HTTP layer. Messages never hold file paths. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
