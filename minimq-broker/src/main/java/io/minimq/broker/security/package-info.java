/**
 * Who may call what: bearer tokens with roles checked in constant time, before any controller
 * runs, and the per-client rate limit (Bucket4j). Open mode when no token is configured.
 */
package io.minimq.broker.security;
