using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Monitoring;

/// <summary>
/// Counts and times every request as kube-apiserver's <c>apiserver_request_total</c> (by response code) and
/// <c>apiserver_request_duration_seconds</c> do. The dispatcher names a request's resource (<see cref="Describe"/>);
/// the rest is read here once the answer is written, so a request pays one lookup and a few atomic adds.
/// </summary>
public sealed class RequestMetrics
{
    private const string Component = "apiserver";

    // kube 1.32's buckets for apiserver_request_duration_seconds.
    private static readonly double[] DurationBounds =
        [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

    private readonly ConcurrentDictionary<RequestLabels, Series> _series = new();

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next().ConfigureAwait(false);
        }
        finally
        {
            var labels = context.Features.Get<ResourcePath>() is { } path ? RequestLabels.Of(context.Request, path) : RequestLabels.OfNonResource(context.Request);
            if (labels is { } known)
            {
                var series = _series.GetOrAdd(known, static _ => new Series());
                series.Duration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                series.Count(context.Response.StatusCode);
            }
        }
    }

    /// <summary>Names the resource a request is about, for its labels; called by the dispatcher once it knows.</summary>
    public static void Describe(HttpContext context, ResourcePath path) => context.Features.Set(path);

    public void WriteTo(PrometheusText text)
    {
        // In label order, as the Go client writes series.
        var all = _series
            .Select(s => (Labels: s.Key.Pairs(Component), Series: s.Value))
            .OrderBy(s => string.Join('\0', s.Labels.Select(l => l.Value)), StringComparer.Ordinal)
            .ToList();

        text.Family("apiserver_request_duration_seconds", "histogram",
            "[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.");
        foreach (var (labels, series) in all)
        {
            series.Duration.WriteTo(text, "apiserver_request_duration_seconds", labels);
        }

        text.Family("apiserver_request_total", "counter",
            "[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.");
        foreach (var (labels, series) in all)
        {
            foreach (var (code, count) in series.Codes.OrderBy(c => c.Key))
            {
                text.Sample("apiserver_request_total", [("code", code.ToString(CultureInfo.InvariantCulture)), .. labels], Interlocked.Read(ref count.Value));
            }
        }
    }

    private sealed class Series
    {
        public LatencyHistogram Duration { get; } = new(DurationBounds);

        public ConcurrentDictionary<int, Tally> Codes { get; } = new();

        public void Count(int code) => Interlocked.Increment(ref Codes.GetOrAdd(code, static _ => new Tally()).Value);
    }

    private sealed class Tally
    {
        public long Value;
    }
}
