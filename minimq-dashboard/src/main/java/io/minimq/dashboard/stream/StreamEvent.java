package io.minimq.dashboard.stream;

/** What a followed topic yields to one subscriber. */
public sealed interface StreamEvent {

    String topic();

    /** A record, in offset order. */
    record Delivered(StreamRecord record) implements StreamEvent {
        @Override
        public String topic() {
            return record.topic();
        }
    }

    /**
     * Records {@code [fromOffset, toOffset)} were not delivered: the subscriber fell behind under
     * {@link LagPolicy#SKIP}, or retention deleted them before they could be read.
     */
    record Skipped(String topic, long fromOffset, long toOffset) implements StreamEvent {
        public long count() {
            return toOffset - fromOffset;
        }
    }

    /** The topic is followed from {@code nextOffset} on: nothing before it will come. Not sent to browsers. */
    record Started(String topic, long nextOffset) implements StreamEvent {
    }
}
