import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Append-to-long-poll-answer latency: a fetch waits at the end of a topic (maxWaitMs=10000),
 * then one record is produced; the time from sending the produce to receiving the waiting
 * fetch's answer is recorded (an upper bound: it includes the produce request itself).
 *
 * Usage: java LongPollLatency.java http://127.0.0.1:15000 500
 */
public class LongPollLatency {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int rounds = Integer.parseInt(args[1]);
        HttpClient poller = HttpClient.newHttpClient();
        HttpClient producer = HttpClient.newHttpClient();
        String topic = "bench-latency-" + System.nanoTime();
        HttpRequest produce = HttpRequest.newBuilder(URI.create(base + "/v1/topics/" + topic + "/records"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":{\"cpu\":12.5}}]}")).build();
        producer.send(produce, HttpResponse.BodyHandlers.ofString());
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds + 50; i++) {
            long offset = i + 1;
            CompletableFuture<HttpResponse<String>> poll = poller.sendAsync(HttpRequest.newBuilder(URI.create(
                    base + "/v1/topics/" + topic + "/records?offset=" + offset + "&maxWaitMs=10000")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(3); // let the fetch reach the broker and start waiting
            long start = System.nanoTime();
            producer.send(produce, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> answer = poll.get();
            long elapsed = (System.nanoTime() - start) / 1000;
            if (!answer.body().contains("\"offset\":" + offset)) {
                throw new IllegalStateException("unexpected answer " + answer.body());
            }
            if (i >= 50) {
                micros[i - 50] = elapsed; // the first 50 rounds warm up
            }
        }
        Arrays.sort(micros);
        System.out.printf("rounds=%d p50=%.2fms p99=%.2fms max=%.2fms%n", rounds, micros[rounds / 2] / 1000.0,
                micros[(int) (rounds * 0.99) - 1] / 1000.0, micros[rounds - 1] / 1000.0);
    }
}
