package io.minimq.agent.publish;

/**
 * One produce request, formed once and resent unchanged until the broker takes it: the same
 * records under the same sequence number, so a resend of a request the broker already appended
 * is answered with the original offsets instead of appending twice.
 *
 * @param topic where it goes
 * @param seq the idempotent producer sequence number of this request on {@code topic}
 * @param size number of records
 * @param body the encoded request body, {@code {"records": [...]}}
 */
record Batch(String topic, long seq, int size, byte[] body) {
}
