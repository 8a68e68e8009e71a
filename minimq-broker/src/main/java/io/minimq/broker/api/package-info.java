/**
 * The v1 HTTP API over the storage: produce and fetch (the hot paths: bounded byte bodies,
 * streaming Jackson in and out, raw value bytes, long polls that hold no thread), topics, and
 * the mapping of every error to {@code application/problem+json}. Controllers are
 * package-private; the parser, writer and appender are shared with {@code seed}.
 */
package io.minimq.broker.api;
