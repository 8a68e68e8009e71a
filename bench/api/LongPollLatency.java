import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Append-to-long-poll-answer latency: a fetch waits at the end of a topic (maxWaitMs=10000),
 * then one record is produced; the time from sending the produce to receiving the waiting
 * fetch's whole answer is recorded (an upper bound: it includes the produce request itself,
 * whose own round trip is reported beside it).
 *
 * <p>Both connections are plain keep-alive sockets with pre-built requests: the JDK's
 * HttpClient adds about 2.5 ms per exchange here (its selector thread and executor hand-offs),
 * which would be measured as broker latency.
 *
 * Usage: java LongPollLatency.java http://127.0.0.1:15000 500
 */
public class LongPollLatency {

    private static final int WARM_UP_ROUNDS = 1000; // about 3 s: the long-poll path is compiled by then

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String topic = "bench-latency-" + System.nanoTime();
        String body = "{\"records\":[{\"value\":{\"cpu\":12.5}}]}";
        byte[] produce = ("POST /v1/topics/" + topic + "/records HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        Connection producer = new Connection(base);
        Connection poller = new Connection(base);
        producer.exchange(produce); // creates the topic

        long[] total = new long[rounds];
        long[] produceOnly = new long[rounds];
        for (int i = 0; i < rounds + WARM_UP_ROUNDS; i++) {
            long offset = i + 1;
            poller.send(("GET /v1/topics/" + topic + "/records?offset=" + offset + "&maxWaitMs=10000 HTTP/1.1\r\nHost: bench\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(2); // let the fetch reach the broker and start waiting
            long start = System.nanoTime();
            producer.exchange(produce);
            long produced = System.nanoTime();
            String answer = poller.receive();
            long end = System.nanoTime();
            if (!answer.contains("\"offset\":" + offset)) {
                throw new IllegalStateException("unexpected answer " + answer);
            }
            if (i >= WARM_UP_ROUNDS) {
                total[i - WARM_UP_ROUNDS] = (end - start) / 1000;
                produceOnly[i - WARM_UP_ROUNDS] = (produced - start) / 1000;
            }
        }
        Arrays.sort(total);
        Arrays.sort(produceOnly);
        System.out.printf("rounds=%d p50=%.2fms p99=%.2fms max=%.2fms (the produce round trip alone: p50=%.2fms p99=%.2fms)%n",
                rounds, ms(total, 0.5), ms(total, 0.99), total[rounds - 1] / 1000.0, ms(produceOnly, 0.5), ms(produceOnly, 0.99));
    }

    private static double ms(long[] sortedMicros, double quantile) {
        return sortedMicros[(int) Math.ceil(sortedMicros.length * quantile) - 1] / 1000.0;
    }

    /** One HTTP/1.1 keep-alive connection; reconnects when the server closes it. */
    private static final class Connection {
        private final URI base;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Connection(URI base) throws IOException {
            this.base = base;
            open();
        }

        private void open() throws IOException {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String exchange(byte[] request) throws IOException {
            send(request);
            return receive();
        }

        void send(byte[] request) throws IOException {
            out.write(request);
            out.flush();
        }

        /** Reads one response (Content-Length or chunked) and returns its body. */
        String receive() throws IOException {
            String head = readHead();
            String lower = head.toLowerCase();
            byte[] bodyBytes;
            if (lower.contains("transfer-encoding: chunked")) {
                java.io.ByteArrayOutputStream bodyOut = new java.io.ByteArrayOutputStream();
                while (true) {
                    int size = Integer.parseInt(readLine().trim(), 16);
                    if (size == 0) {
                        readLine();
                        break;
                    }
                    bodyOut.write(in.readNBytes(size));
                    readLine();
                }
                bodyBytes = bodyOut.toByteArray();
            } else {
                int length = 0;
                for (String line : lower.split("\r\n")) {
                    if (line.startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    }
                }
                bodyBytes = in.readNBytes(length);
            }
            if (lower.contains("connection: close")) {
                socket.close();
                open();
            }
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }

        private String readHead() throws IOException {
            StringBuilder head = new StringBuilder();
            String line;
            while (!(line = readLine()).isEmpty()) {
                head.append(line).append("\r\n");
            }
            return head.toString();
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed by the broker");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
