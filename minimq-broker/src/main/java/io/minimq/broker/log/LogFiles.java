package io.minimq.broker.log;

import java.nio.file.Path;

/**
 * Names of the files in a topic directory. Segment files are named by their base offset padded
 * to 20 digits, so that {@code ls} lists them in offset order:
 * {@code 00000000000000000000.log}, {@code .index}, {@code .timeindex}.
 */
final class LogFiles {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** The recovery checkpoint: where the last fsynced, validated tail ends, with producer state. */
    static final String CHECKPOINT_FILE = "recovery.checkpoint";
    /** The topic's settings that override the broker defaults. */
    static final String TOPIC_CONFIG_FILE = "topic.properties";
    /** Suffix of a file being written before an atomic rename. */
    static final String TMP_SUFFIX = ".tmp";

    private LogFiles() {
    }

    static String baseName(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + LOG_SUFFIX);
    }

    static Path indexFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + INDEX_SUFFIX);
    }

    static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + TIME_INDEX_SUFFIX);
    }

    static boolean isLogFile(Path file) {
        String name = file.getFileName().toString();
        return name.length() == 20 + LOG_SUFFIX.length() && name.endsWith(LOG_SUFFIX)
                && name.chars().limit(20).allMatch(Character::isDigit);
    }

    /** The base offset a segment file is named by, e.g. 42 for {@code 00000000000000000042.log}. */
    static long offsetFromFileName(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, 20));
    }
}
