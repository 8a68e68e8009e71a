import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single-node Kafka (KRaft) for benchmarks, the same one the broker tests use
 * ({@code SharedKafka.start}): runs until killed, prints its bootstrap servers once it is up.
 *
 * <pre>java -cp BROKER_TEST_CLASSPATH bench/kafka/EmbeddedKafka.java PORT</pre>
 */
public class EmbeddedKafka {

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedKafka PORT");
            System.exit(2);
        }
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.kafkaPorts(Integer.parseInt(args[0]));
        kafka.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1"));
        kafka.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::destroy, "embedded-kafka-stop"));
        System.out.println("bootstrap servers: " + kafka.getBrokersAsString());
        new CountDownLatch(1).await();
    }
}
