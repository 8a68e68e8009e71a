package io.minimq.broker.api;

import io.minimq.common.InvalidNameException;
import io.minimq.common.TopicNames;

/**
 * Checks topic and group names from URLs and bodies before anything else sees them
 * ({@link TopicNames}): a name that passes is a single safe path element, never {@code ..},
 * never a separator, never an internal {@code __} topic.
 */
public final class Names {

    private Names() {
    }

    /** The topic name, or a 400 "Invalid topic name". */
    public static String topic(String name) {
        try {
            return TopicNames.validate(name);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest("Invalid topic name", "Topic " + e.getMessage());
        }
    }

    /** The group (or seed consumer_id) name, or a 400 "Invalid group name". */
    public static String group(String name) {
        try {
            return TopicNames.validate(name);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest("Invalid group name", "Group " + e.getMessage());
        }
    }
}
