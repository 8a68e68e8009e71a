/**
 * The broker's storage contract: what the HTTP layer needs from a back end. Two back ends
 * implement {@link io.minimq.broker.storage.Storage}: the embedded file log
 * ({@code io.minimq.broker.log}) and, for scaling out, Apache Kafka. Nothing in this package
 * knows about files, HTTP or Spring.
 */
package io.minimq.broker.storage;
