package io.minimq.agent.collect;

import io.minimq.common.metrics.MetricSample;
import java.util.Optional;

/**
 * One kind of host measurement, taken on a schedule. Collectors that report a rate keep the
 * previous reading and compute from the difference, so a tick never sleeps.
 *
 * <p>Implementations are called by one thread at a time (the scheduler never overlaps runs of
 * one collector) but not always the same thread, so they guard their state.
 */
public interface MetricCollector {

    /** The metric name ({@code cpu}, {@code mem}, ...); samples go to {@code metrics.<name>}. */
    String metric();

    /** Takes one sample, or nothing when there is no interval to report on yet (the first tick). */
    Optional<MetricSample> collect();
}
