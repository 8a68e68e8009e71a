/**
 * Running the broker: the storage bean built from {@code BrokerProperties}, readiness, the
 * Prometheus metrics, the start-up line, and problem+json in place of Spring's and Tomcat's
 * error pages.
 */
package io.minimq.broker.system;
