/**
 * The original MiniMQ prototype's API ({@code /produce}, {@code /consume}, {@code /nodes}),
 * kept working on top of the same log and group offsets as {@code /v1}.
 */
package io.minimq.broker.seed;
