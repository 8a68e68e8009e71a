package io.minimq.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Ordering, batching, sequence numbers and the drop-oldest bound of the outbound buffer. */
class OutboundBufferTests {

    private final JsonMapper json = JsonMapper.builder().build();

    private OutboundBuffer buffer(int capacity) {
        return new OutboundBuffer(capacity, new BatchEncoder(json));
    }

    private List<String> values(Batch batch) {
        JsonNode body = json.readTree(batch.body());
        return body.get("records").valueStream().map(r -> r.get("value").asString()).toList();
    }

    @Test
    void batchesAreTheOldestWaitingRecordsEncodedAsAProduceRequest() {
        OutboundBuffer buffer = buffer(100);
        buffer.add("metrics.cpu", "n1", "a");
        buffer.add("metrics.cpu", "n1", "b");
        buffer.add("metrics.cpu", "n1", "c");
        Batch batch = buffer.nextBatch("metrics.cpu", 2);
        assertThat(batch.topic()).isEqualTo("metrics.cpu");
        assertThat(batch.size()).isEqualTo(2);
        assertThat(json.readTree(batch.body()).toString())
                .isEqualTo("{\"records\":[{\"key\":\"n1\",\"value\":\"a\"},{\"key\":\"n1\",\"value\":\"b\"}]}");
    }

    @Test
    void oneBatchPerTopicInFlightUntilAcknowledgedThenTheNextSequence() {
        OutboundBuffer buffer = buffer(100);
        buffer.add("t", "n1", "a");
        Batch first = buffer.nextBatch("t", 10);
        buffer.add("t", "n1", "b");
        buffer.add("t", "n1", "c");
        assertThat(buffer.nextBatch("t", 10)).as("the first batch is still in flight").isNull();
        assertThat(buffer.size()).isEqualTo(3);
        buffer.acknowledged(first);
        Batch second = buffer.nextBatch("t", 10);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(values(second)).containsExactly("b", "c");
        buffer.acknowledged(second);
        assertThat(buffer.size()).isZero();
        assertThat(buffer.nextBatch("t", 10)).isNull();
    }

    @Test
    void topicsHaveTheirOwnSequencesAndDoNotWaitForEachOther() {
        OutboundBuffer buffer = buffer(100);
        buffer.add("a", "n1", 1);
        buffer.add("b", "n1", 2);
        Batch a = buffer.nextBatch("a", 10);
        Batch b = buffer.nextBatch("b", 10);
        assertThat(a.seq()).isEqualTo(1);
        assertThat(b.seq()).isEqualTo(1);
        assertThat(buffer.pendingTopics()).containsExactly("a", "b");
    }

    @Test
    void whenFullTheOldestWaitingRecordOfAnyTopicIsDroppedFirst() {
        OutboundBuffer buffer = buffer(3);
        assertThat(buffer.add("cpu", "n1", "cpu-1")).isZero();
        assertThat(buffer.add("mem", "n1", "mem-1")).isZero();
        assertThat(buffer.add("cpu", "n1", "cpu-2")).isZero();
        assertThat(buffer.add("mem", "n1", "mem-2")).isEqualTo(1);
        assertThat(buffer.add("cpu", "n1", "cpu-3")).isEqualTo(1);
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(values(buffer.nextBatch("cpu", 10))).containsExactly("cpu-2", "cpu-3");
        assertThat(values(buffer.nextBatch("mem", 10))).containsExactly("mem-2");
    }

    @Test
    void recordsInFlightAreNeverDroppedSinceTheBrokerMayHaveThem() {
        OutboundBuffer buffer = buffer(2);
        buffer.add("t", "n1", "a");
        buffer.add("t", "n1", "b");
        Batch inFlight = buffer.nextBatch("t", 10);
        assertThat(buffer.add("t", "n1", "c")).as("only the newcomer is waiting, so it goes").isEqualTo(1);
        assertThat(buffer.size()).isEqualTo(2);
        buffer.acknowledged(inFlight);
        assertThat(buffer.nextBatch("t", 10)).isNull();
    }

    @Test
    void aDiscardedBatchLeavesTheBufferAndTheNextOneGetsANewSequence() {
        OutboundBuffer buffer = buffer(10);
        buffer.add("t", "n1", "a");
        buffer.add("t", "n1", "b");
        Batch refused = buffer.nextBatch("t", 1);
        assertThat(buffer.discard(refused)).isEqualTo(1);
        Batch next = buffer.nextBatch("t", 1);
        assertThat(next.seq()).isEqualTo(2);
        assertThat(values(next)).containsExactly("b");
        assertThatIllegalStateException().isThrownBy(() -> buffer.acknowledged(refused));
    }
}
