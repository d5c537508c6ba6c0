using System.Globalization;
using System.Text;
using Gantry.Bench.Measurement;
using Gantry.Bench.Reporting;

namespace Gantry.Bench.ServiceProxy;

/// <summary>The markdown the service-proxy bench prints: machine, latency and throughput per path, endpoint change times.</summary>
internal static class ServiceProxySummary
{
    public static string Render(MachineInfo machine, string command, ServiceProxyOptions options, ProxyMeasurements? m, IReadOnlyList<string> findings, TimeSpan total)
    {
        var text = new StringBuilder();
        Line(text, "## Gantry service proxy benchmark");
        Line(text, "");
        Line(text, $"Command: `{command}` (total {total.TotalSeconds:0} s)");
        Line(text, "");
        foreach (var line in machine.Lines())
        {
            Line(text, line);
        }

        if (m is not null)
        {
            Line(text, "");
            Line(text, $"{options.Backends} busybox httpd pods (one process per connection) on one node; the client is the bench on the host, one HTTP/1.0 GET per new TCP connection, so every request takes the proxy's per-connection DNAT path. Direct: the pod IPs in turn; ClusterIP: the Service in front of the same pods.");
            Line(text, "");
            Line(text, "| Path | latency p50 ms | p90 ms | p99 ms | max ms | throughput req/s | errors |");
            Line(text, "|---|--:|--:|--:|--:|--:|--:|");
            Line(text, $"| direct to pod IP | {Row(m.DirectLatency)} | {m.DirectThroughput.PerSecond:0} | {m.DirectThroughput.Errors} |");
            Line(text, $"| through ClusterIP | {Row(m.ClusterIpLatency)} | {m.ClusterIpThroughput.PerSecond:0} | {m.ClusterIpThroughput.Errors} |");
            Line(text, "");
            Line(text, $"Latency: {options.Requests} requests per path, interleaved one by one. Throughput: {options.Concurrency} connections at once for {options.Duration.TotalSeconds:0} s per path. ClusterIP costs {m.ClusterIpLatency.P50 - m.DirectLatency.P50:0.00} ms at p50 and {Percent(m.ClusterIpThroughput.PerSecond, m.DirectThroughput.PerSecond)} of the direct throughput.");
            Line(text, "");
            Line(text, $"Endpoint change → rule in force ({options.Changes} each; from the PATCH that labels a pod into or out of a Service's selector being sent, until a connection to the ClusterIP is accepted or refused; covers the API write, the EndpointSlice controller and the proxy's sync):");
            Line(text, "");
            Line(text, "| Change | p50 ms | p90 ms | p99 ms | max ms |");
            Line(text, "|---|--:|--:|--:|--:|");
            Line(text, $"| endpoint added | {Row(m.EndpointAdded)} |");
            Line(text, $"| endpoint removed | {Row(m.EndpointRemoved)} |");
            Line(text, "");
            Line(text, $"Backends reached through the ClusterIP while warming up: {string.Join(", ", m.BackendsSeen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}.");
        }

        Line(text, "");
        if (findings.Count == 0)
        {
            Line(text, "No findings: every request answered, the cluster stopped cleanly.");
        }
        else
        {
            Line(text, "Findings:");
            foreach (var finding in findings)
            {
                Line(text, "- " + finding);
            }
        }

        return text.ToString();
    }

    private static string Row(LatencyStats s) => string.Create(CultureInfo.InvariantCulture, $"{s.P50:0.00} | {s.P90:0.00} | {s.P99:0.00} | {s.Max:0.00}");

    private static string Percent(double part, double whole) => whole > 0 ? string.Create(CultureInfo.InvariantCulture, $"{part / whole * 100:0}%") : "?";

    private static void Line(StringBuilder text, string line) => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
