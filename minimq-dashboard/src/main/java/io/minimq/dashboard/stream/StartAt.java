package io.minimq.dashboard.stream;

/**
 * Where a stream starts a topic that the client's {@code Last-Event-ID} does not mention.
 * {@link #live()} waits for new records; {@link #offset(long)} starts at an offset (0 = earliest
 * still stored); {@link #time(long)} at the first record appended at or after an epoch-ms time.
 */
public record StartAt(Kind kind, long value) {

    public enum Kind { LIVE, OFFSET, TIME }

    public StartAt {
        if (kind != Kind.LIVE && value < 0) {
            throw new IllegalArgumentException(kind.name().toLowerCase() + " must be >= 0, was " + value);
        }
    }

    public static StartAt live() {
        return new StartAt(Kind.LIVE, 0);
    }

    public static StartAt offset(long offset) {
        return new StartAt(Kind.OFFSET, offset);
    }

    public static StartAt time(long epochMillis) {
        return new StartAt(Kind.TIME, epochMillis);
    }

    /**
     * Parses the {@code offset} and {@code fromTime} query parameters (at most one of them):
     * a number, {@code earliest} or {@code latest}; absent means {@code fallback}.
     */
    public static StartAt parse(String offset, Long fromTime, StartAt fallback) {
        if (offset != null && fromTime != null) {
            throw new IllegalArgumentException("give either offset or fromTime, not both");
        }
        if (fromTime != null) {
            return time(fromTime);
        }
        if (offset == null || offset.isBlank()) {
            return fallback;
        }
        return switch (offset) {
            case "earliest" -> offset(0);
            case "latest" -> live();
            default -> {
                try {
                    yield offset(Long.parseLong(offset));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "offset must be a number, 'earliest' or 'latest', was '" + offset + "'");
                }
            }
        };
    }
}
