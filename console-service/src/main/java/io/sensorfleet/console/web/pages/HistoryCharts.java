package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.history.HistoryQuery;
import io.sensorfleet.console.history.SensorHistory;
import io.sensorfleet.console.sensors.SensorCounts;
import io.sensorfleet.console.updates.UpdateViews;
import io.sensorfleet.console.web.charts.BarChart;
import io.sensorfleet.console.web.charts.Chart;
import io.sensorfleet.console.web.charts.LevelChart;
import io.sensorfleet.console.web.charts.TimeChart;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Turns the stored history, versions and rollouts into the charts of the dashboard and the sensor page. */
@ApplicationScoped
public class HistoryCharts {
    /** A period a chart can show: its length and the width of one point. */
    public enum Range {
        DAY("24h", Duration.ofHours(24), Duration.ofMinutes(15)),
        WEEK("7d", Duration.ofDays(7), Duration.ofHours(2));

        private final String param;
        private final Duration length;
        private final Duration step;

        Range(String param, Duration length, Duration step) {
            this.param = param;
            this.length = length;
            this.step = step;
        }

        /** The value of the page's {@code range} parameter. */
        public String param() {
            return param;
        }

        TimeChart.Window window(Instant now, ZoneId zone) {
            // The bucket under way is included: the latest values are the ones people look for.
            Instant to = now.plus(step).minusMillis(now.toEpochMilli() % step.toMillis());
            return new TimeChart.Window(to.minus(length), to, step, zone);
        }
    }

    /** The fleet over one period: connectivity and health. */
    public record Fleet(Chart connectivity, Chart health) {
    }

    /** One sensor over one period. */
    public record Sensor(Range range, Chart latency, Chart offset, Chart health) {
    }

    private static final List<String> HEALTH_LEVELS = List.of("OK", "DEGRADED", "FAILED");

    private final HistoryQuery history;

    HistoryCharts(HistoryQuery history) {
        this.history = history;
    }

    Fleet fleet(Range range, Instant now, ZoneId zone) {
        TimeChart.Window w = range.window(now, zone);
        List<HistoryQuery.FleetPoint> points = history.fleet(w.from(), w.to(), w.step());
        List<Instant> times = points.stream().map(HistoryQuery.FleetPoint::at).toList();
        Chart connectivity = TimeChart.lines("connectivity-" + range.param, "Connectivity, " + range.param, "", w, times,
                List.of(series("Synced", points, HistoryQuery.FleetPoint::synced),
                        series("Out of sync", points, HistoryQuery.FleetPoint::outOfSync),
                        series("Time offset", points, HistoryQuery.FleetPoint::timeDiffOffset),
                        series("Disconnected", points, HistoryQuery.FleetPoint::disconnected)));
        Chart health = TimeChart.lines("health-" + range.param, "Health, " + range.param, "", w, times,
                List.of(series("OK", points, HistoryQuery.FleetPoint::healthOk),
                        series("Degraded", points, HistoryQuery.FleetPoint::healthDegraded),
                        series("Failed", points, HistoryQuery.FleetPoint::healthFailed),
                        series("Not reported", points, HistoryQuery.FleetPoint::healthUnknown)));
        return new Fleet(connectivity, health);
    }

    Sensor sensor(UUID sensorId, Range range, Instant now, ZoneId zone) {
        Duration step = range.step.compareTo(SensorHistory.BUCKET) < 0 ? SensorHistory.BUCKET : range.step;
        TimeChart.Window w = range.window(now, zone);
        w = new TimeChart.Window(w.from(), w.to(), step, zone);
        List<HistoryQuery.SensorPoint> points = history.sensor(sensorId, w.from(), w.to(), step);
        List<Instant> times = points.stream().map(HistoryQuery.SensorPoint::at).toList();
        Chart latency = TimeChart.lines("latency", "Heartbeat round trip, " + range.param, "ms", w, times,
                List.of(nullable("Highest", points, HistoryQuery.SensorPoint::roundTripMax),
                        nullable("Average", points, HistoryQuery.SensorPoint::roundTripAvg),
                        nullable("Lowest", points, HistoryQuery.SensorPoint::roundTripMin)));
        Chart offset = TimeChart.lines("offset", "Clock offset, " + range.param, "ms", w, times,
                List.of(series("Highest", points, HistoryQuery.SensorPoint::offsetMax),
                        series("Average", points, HistoryQuery.SensorPoint::offsetAvg),
                        series("Lowest", points, HistoryQuery.SensorPoint::offsetMin)));
        Chart health = LevelChart.levels("sensor-health", "Health, " + range.param, w, HEALTH_LEVELS, times,
                points.stream().map(HistoryQuery.SensorPoint::worstHealth).toList());
        return new Sensor(range, latency, offset, health);
    }

    static Chart versions(List<SensorCounts.VersionCount> versions) {
        return BarChart.bars("versions", "Software versions", "sensors", versions.stream()
                .map(v -> new BarChart.Bar(v.version() == null ? "(not reported)" : v.version(), v.sensors())).toList());
    }

    static Chart rollouts(List<UpdateViews.Rollout> rollouts) {
        return BarChart.stacked("rollouts", "Rollout progress", List.of("Succeeded", "Failed", "Under way", "Waiting",
                "Left out"), rollouts.stream().map(r -> new BarChart.Stack(r.version() + " · " + r.state(), List.of(
                ProgressExtensions.succeededCount(r), ProgressExtensions.failedCount(r),
                ProgressExtensions.underWayCount(r), ProgressExtensions.waitingCount(r),
                ProgressExtensions.leftOutCount(r)))).toList());
    }

    private static <P> TimeChart.Series series(String label, List<P> points, ToLongFunction<P> value) {
        return new TimeChart.Series(label, points.stream().map(p -> (Double) (double) value.applyAsLong(p)).toList());
    }

    private static <P> TimeChart.Series nullable(String label, List<P> points, Function<P, Long> value) {
        return new TimeChart.Series(label, points.stream().map(p -> {
            Long v = value.apply(p);
            return v == null ? null : v.doubleValue();
        }).toList());
    }
}
