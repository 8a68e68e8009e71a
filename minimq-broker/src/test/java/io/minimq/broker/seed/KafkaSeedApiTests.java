package io.minimq.broker.seed;

import io.minimq.broker.kafka.SharedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same HTTP contract as {@link SeedApiTests}, with the broker on the Kafka back end. */
class KafkaSeedApiTests extends SeedApiTests {

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        SharedKafka.register(registry);
    }

    @Override
    protected boolean fileLog() {
        return false;
    }
}
