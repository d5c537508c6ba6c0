using System.Diagnostics;

namespace Gantry.Server.Monitoring;

/// <summary>
/// The <c>process_*</c> metrics every Prometheus client exports about its own process: CPU seconds, resident and
/// virtual memory, open and maximum file descriptors, and the start time.
/// </summary>
public static class ProcessMetrics
{
    public static void WriteTo(PrometheusText text)
    {
        using var process = Process.GetCurrentProcess();
        text.Family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
        text.Sample("process_cpu_seconds_total", process.TotalProcessorTime.TotalSeconds);
        text.Family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
        text.Sample("process_max_fds", MaxOpenFiles());
        text.Family("process_open_fds", "gauge", "Number of open file descriptors.");
        text.Sample("process_open_fds", Directory.EnumerateFileSystemEntries("/proc/self/fd").Count());
        text.Family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        text.Sample("process_resident_memory_bytes", process.WorkingSet64);
        text.Family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
        text.Sample("process_start_time_seconds", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        text.Family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
        text.Sample("process_virtual_memory_bytes", process.VirtualMemorySize64);
    }

    // /proc/self/limits: "Max open files            1048576              1048576              files".
    private static double MaxOpenFiles()
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(soft, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
    }
}
