/**
 * The scale-out back end: {@link io.minimq.broker.storage.Storage} on an Apache Kafka cluster,
 * so that the broker becomes a stateless HTTP tier (several replicas behind one Service) with
 * the same API.
 *
 * <p>Mapping: a MiniMQ topic is a Kafka topic with one partition; offsets are Kafka offsets;
 * timestamps are the broker's log-append time; group offsets are Kafka consumer-group offsets
 * (written through the Admin API); retention and segment size are Kafka topic configs.
 *
 * <p>Idempotent producers across replicas: a request carrying a MiniMQ producer id is written
 * in a Kafka transaction by a transactional producer whose {@code transactional.id} is derived
 * from that producer id, together with a record in the compacted internal topic
 * {@value io.minimq.broker.kafka.ProducerStateTopic#NAME} holding the producer's last sequence
 * and offsets. Starting a transactional producer fences any other replica's producer with the
 * same id (its open transaction is aborted), so after {@code initTransactions} and reading the
 * state topic to its end, a replica knows the last committed sequence for certain.
 */
package io.minimq.broker.kafka;
