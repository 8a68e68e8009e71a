package io.minimq.broker.api;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.security.ClientRateLimiter;
import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.common.TopicNames;
import io.minimq.common.api.ApiHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The v1 produce ({@code POST /v1/topics/{topic}/records}), from the raw request to the raw
 * answer: producer headers, the bounded body, the parse, the rate-limit charge, the append and
 * the {@code {"topic", "offsets"}} answer. Served by {@link ProduceFilter} for plain JSON
 * requests and by {@link RecordsController} for whatever that filter leaves to Spring MVC, so
 * both give the same answer. Errors are thrown, for the caller's exception handling. Thread-safe.
 */
@Component
class ProduceHandler {

    private final ProduceRequestParser parser;
    private final ResponseWriter writer;
    private final RecordAppender appender;
    private final ClientRateLimiter rateLimiter;
    private final int maxRequestBytes;

    ProduceHandler(ProduceRequestParser parser, ResponseWriter writer, RecordAppender appender,
            ClientRateLimiter rateLimiter, BrokerProperties properties) {
        this.parser = parser;
        this.writer = writer;
        this.appender = appender;
        this.rateLimiter = rateLimiter;
        this.maxRequestBytes = properties.maxRequestBytesInt();
    }

    void produce(String topic, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Names.topic(topic);
        ProducerSeq producer = producer(request.getHeader(ApiHeaders.PRODUCER_ID), request.getHeader(ApiHeaders.PRODUCER_SEQ));
        List<NewRecord> records = parser.parseRecords(RequestBodies.read(request, maxRequestBytes));
        rateLimiter.charge(request, records.size());
        AppendResult result = appender.append(topic, records, producer);
        byte[] body = writer.produced(topic, result);
        response.setStatus(result.duplicate() ? 200 : 201);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static ProducerSeq producer(String id, String seq) {
        if (id == null && seq == null) {
            return null;
        }
        if (id == null || seq == null) {
            throw ApiException.badRequest("Invalid producer headers",
                    ApiHeaders.PRODUCER_ID + " and " + ApiHeaders.PRODUCER_SEQ + " go together");
        }
        if (id.isEmpty() || id.length() > TopicNames.MAX_LENGTH) {
            throw ApiException.badRequest("Invalid producer headers",
                    ApiHeaders.PRODUCER_ID + " must be 1 to " + TopicNames.MAX_LENGTH + " characters");
        }
        long parsed;
        try {
            parsed = Long.parseLong(seq.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid producer headers", ApiHeaders.PRODUCER_SEQ + " must be a whole number");
        }
        if (parsed < 0) {
            throw ApiException.badRequest("Invalid producer headers", ApiHeaders.PRODUCER_SEQ + " must not be negative");
        }
        return new ProducerSeq(id, parsed);
    }
}
