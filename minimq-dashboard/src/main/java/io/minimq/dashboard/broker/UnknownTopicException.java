package io.minimq.dashboard.broker;

/** The broker has no topic of that name (404). */
public final class UnknownTopicException extends BrokerException {

    public UnknownTopicException(String topic) {
        super(404, "topic '" + topic + "' does not exist");
    }
}
