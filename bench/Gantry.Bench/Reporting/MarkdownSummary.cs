using System.Globalization;
using System.Text;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.Reporting;

/// <summary>The summary the bench prints: machine, one table of results, the targets, findings.</summary>
internal static class MarkdownSummary
{
    public static string Render(MachineInfo machine, string command, BenchOptions options, IReadOnlyList<BenchResult> results, IReadOnlyList<string> findings, TimeSpan total)
    {
        var text = new StringBuilder();
        Line(text, "## Gantry API benchmark");
        Line(text, "");
        Line(text, $"Command: `{command}` (HTTP/{options.HttpVersion}, total {total.TotalSeconds:0} s)");
        Line(text, "");
        foreach (var line in machine.Lines())
        {
            Line(text, line);
        }

        Line(text, "");
        Line(text, "| Scenario | Parameters | OK | Errors | req/s | p50 ms | p90 ms | p99 ms | max ms | CPU cores: server / bench / other | Notes |");
        Line(text, "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|");
        foreach (var r in results)
        {
            var l = r.Latency;
            // A single timed event (the restart) has a duration, not a rate.
            var rate = l.Count > 1 ? r.PerSecond.ToString("0", CultureInfo.InvariantCulture) : "—";
            Line(text, $"| {r.Scenario} | {r.Parameters} | {l.Count} | {r.Errors} | {rate} | {l.P50:0.00} | {l.P90:0.00} | {l.P99:0.00} | {l.Max:0.00} | {r.ServerCpu:0.00} / {r.ClientCpu:0.00} / {r.OtherCpu:0.00} | {r.Notes} |");
        }

        Line(text, "");
        Line(text, "### Targets");
        Line(text, "");
        foreach (var verdict in Verdicts(results, options))
        {
            Line(text, "- " + verdict);
        }

        if (findings.Count > 0)
        {
            Line(text, "");
            Line(text, "### Findings");
            Line(text, "");
            foreach (var finding in findings)
            {
                Line(text, "- " + finding);
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Verdicts(IReadOnlyList<BenchResult> results, BenchOptions options)
    {
        var open = results.FirstOrDefault(r => r.Scenario.StartsWith("(b)", StringComparison.Ordinal));
        if (open is not null)
        {
            yield return Verdict($"create p99 at {options.OpenLoopRate:0}/s (open loop) < 10 ms", open.Latency.P99, 10);
            yield return Verdict("create p99 ≤ 1 s (Kubernetes SLO, mutating single-object call)", open.Latency.P99, 1000);
        }

        var list = results.FirstOrDefault(r => r.Scenario.StartsWith("(d) pod LIST", StringComparison.Ordinal));
        if (list is not null)
        {
            yield return Verdict($"LIST {options.ListSize} pods p99 < 100 ms (p50 {list.Latency.P50:0.0} ms)", list.Latency.P99, 100);
            yield return Verdict("LIST p99 ≤ 5 s (Kubernetes SLO, namespace-scoped list)", list.Latency.P99, 5000);
        }
    }

    private static string Verdict(string target, double measured, double limit) =>
        measured < limit
            ? string.Create(CultureInfo.InvariantCulture, $"PASS {target}: {measured:0.00} ms")
            : string.Create(CultureInfo.InvariantCulture, $"MISS {target}: {measured:0.00} ms, {measured / limit:0.0}× the target");

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
