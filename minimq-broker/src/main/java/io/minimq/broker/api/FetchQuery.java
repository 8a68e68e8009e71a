package io.minimq.broker.api;

import java.time.Duration;

/**
 * The parameters of a fetch, checked: {@code offset} (a number, {@code earliest} or
 * {@code latest}) or {@code fromTime}, {@code limit} 1..10000, {@code maxWaitMs} 0..30000.
 * Anything outside its range or not a number is a 400; nothing is clamped.
 */
record FetchQuery(Start start, long value, int limit, Duration maxWait) {

    static final int MAX_LIMIT = 10_000;
    static final long MAX_WAIT_MS = 30_000;

    /** Where a fetch starts: at an offset, at an end of the log, or at a time. */
    enum Start { OFFSET, EARLIEST, LATEST, TIME }

    static FetchQuery parse(String offset, String fromTime, String limit, String maxWaitMs) {
        int parsedLimit = (int) number("limit", limit, 100, 1, MAX_LIMIT);
        Duration wait = Duration.ofMillis(number("maxWaitMs", maxWaitMs, 0, 0, MAX_WAIT_MS));
        if (fromTime != null) {
            if (offset != null) {
                throw ApiException.invalidParameter("give either offset or fromTime, not both");
            }
            return new FetchQuery(Start.TIME, number("fromTime", fromTime, 0, 0, Long.MAX_VALUE), parsedLimit, wait);
        }
        if (offset == null || offset.equals("earliest")) {
            return new FetchQuery(Start.EARLIEST, 0, parsedLimit, wait);
        }
        if (offset.equals("latest")) {
            return new FetchQuery(Start.LATEST, 0, parsedLimit, wait);
        }
        return new FetchQuery(Start.OFFSET, number("offset", offset, 0, 0, Long.MAX_VALUE), parsedLimit, wait);
    }

    /** A decimal number in [min, max], or {@code fallback} when the parameter is absent. */
    static long number(String name, String text, long fallback, long min, long max) {
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(name + " must be a whole number" + range(min, max));
        }
        if (value < min || value > max) {
            throw ApiException.invalidParameter(name + " is " + value + ", outside" + range(min, max));
        }
        return value;
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? " >= " + min : " " + min + ".." + max;
    }
}
