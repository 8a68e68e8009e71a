package io.minimq.broker.storage;

/**
 * The back end could not take the write: disk full, data directory not writable, or an I/O
 * error (HTTP 507). Nothing of the failed batch is visible; later appends may succeed.
 */
public class StorageFullException extends StorageException {

    private static final long serialVersionUID = 1L;

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
