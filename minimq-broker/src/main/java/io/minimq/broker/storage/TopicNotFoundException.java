package io.minimq.broker.storage;

/** The topic does not exist (HTTP 404). */
public class TopicNotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    public TopicNotFoundException(String topic) {
        super("topic '" + topic + "' does not exist");
    }
}
