package io.minimq.broker.api;

import io.minimq.broker.kafka.SharedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same HTTP contract as {@link TopicsApiTests}, with the broker on the Kafka back end. */
class KafkaTopicsApiTests extends TopicsApiTests {

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        SharedKafka.register(registry);
    }

    @Override
    protected boolean fileLog() {
        return false;
    }
}
