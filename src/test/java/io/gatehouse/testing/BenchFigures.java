package io.gatehouse.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the load generators under {@code bench/} print: a server process's CPU time, latency percentiles. */
public final class BenchFigures {

    private BenchFigures() {
    }

    /** utime + stime of a process, in clock ticks (1/100 s), from {@code /proc/<pid>/stat}. */
    public static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The {@code p} percentile of sorted nanosecond latencies, in milliseconds (0 when there are none). */
    public static double percentileMillis(long[] sortedNanos, double p) {
        return sortedNanos.length == 0 ? 0
                : sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
    }
}
