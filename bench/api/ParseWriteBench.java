import io.minimq.broker.BrokerProperties;
import io.minimq.broker.api.ProduceRequestParser;
import io.minimq.broker.api.ResponseWriter;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

/**
 * The broker's JSON hot paths alone, without HTTP: parsing a 100-record produce body with the
 * streaming parser, and writing a 1000-record fetch answer with raw value bytes. Run by
 * bench/api/parse-write.sh; prints five rounds, the first ones warm-up.
 */
public class ParseWriteBench {

    public static void main(String[] args) {
        BrokerProperties properties = Binder.get(new StandardEnvironment()).bindOrCreate("minimq.broker", BrokerProperties.class);
        ProduceRequestParser parser = new ProduceRequestParser(properties);
        ResponseWriter writer = new ResponseWriter();
        String value = "{\"node\":\"node-a\",\"metric\":\"cpu\",\"timestamp\":1764860400123,\"value\":12.5,\"unit\":\"percent\"}";
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"node-a\",\"value\":").append(value).append('}');
        }
        byte[] produce = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(new StoredRecord(i, 1_764_860_400_123L, "node-a", Map.of(), value.getBytes(StandardCharsets.UTF_8)));
        }
        ReadResult fetch = new ReadResult(records, 1000, 0, 1000);
        long sink = 0;
        for (int round = 1; round <= 5; round++) {
            long start = System.nanoTime();
            int parses = 20_000;
            for (int i = 0; i < parses; i++) {
                sink += parser.parseRecords(produce).size();
            }
            long middle = System.nanoTime();
            int writes = 2_000;
            for (int i = 0; i < writes; i++) {
                sink += writer.fetched("metrics.cpu", fetch).length;
            }
            long end = System.nanoTime();
            double parseMicros = (middle - start) / 1e3 / parses;
            double writeMicros = (end - middle) / 1e3 / writes;
            System.out.printf("round %d: parse 100 records (%d bytes) %.1f us = %.2f M records/s; "
                    + "write a 1000-record fetch %.1f us = %.2f M records/s%n", round, produce.length, parseMicros,
                    100 / parseMicros, writeMicros, 1000 / writeMicros);
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
