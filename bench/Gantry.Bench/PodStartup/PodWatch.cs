using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gantry.Agent.Simulated;
using Gantry.Bench.Scenarios;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// One watch on the bench namespace's pods, open for the whole run, as a controller or
/// <c>kubectl wait</c> would hold it: each event is stamped on arrival and credited to the pod's
/// <see cref="PodTimeline"/>. Running is when the agent's status patch has come back through the
/// watch, i.e. when a client could first know the pod runs.
/// </summary>
internal sealed class PodWatch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PodTimeline> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reading = Task.CompletedTask;
    private int _strayEvents;

    /// <summary>Why the watch ended early, if it did: every later wait would time out, so runs check it.</summary>
    public string? Failure { get; private set; }

    public int StrayEvents => _strayEvents;

    public static async Task<PodWatch> OpenAsync(HttpClient client, KubeApi api, string @namespace)
    {
        var revision = await api.ListRevisionAsync(@namespace).ConfigureAwait(false);
        var watch = new PodWatch();
        var path = string.Create(CultureInfo.InvariantCulture, $"{KubeApi.PodsPath(@namespace)}?watch=true&resourceVersion={revision}");
        watch._reading = Task.Run(() => watch.ReadAsync(client, path));
        await watch._established.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return watch;
    }

    /// <summary>Registers a pod before its create is sent, so no event of it can be missed.</summary>
    public PodTimeline Track(string name) => _pods.GetOrAdd(name, n => new PodTimeline(n));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpClient client, string path)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            _established.TrySetResult();
            await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
            await new WatchLineReader(stream).ReadAsync(OnEvent, _stop.Token).ConfigureAwait(false);
            if (!_stop.IsCancellationRequested)
            {
                Fail("the server ended the watch");
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            Fail($"the watch failed: {ex.Message}");
        }
    }

    private void Fail(string reason)
    {
        Failure = reason;
        _established.TrySetException(new IOException(reason));
        foreach (var pod in _pods.Values)
        {
            pod.RunningSeen.TrySetException(new IOException(reason));
            pod.DeletedSeen.TrySetException(new IOException(reason));
        }
    }

    private void OnEvent(ReadOnlySpan<byte> line)
    {
        var at = Stopwatch.GetTimestamp();
        if (line.IsEmpty)
        {
            return;
        }

        using var document = JsonDocument.Parse(line.ToArray());
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var pod = root.GetProperty("object");
        if (type is "BOOKMARK" or "ERROR" || !pod.TryGetProperty("metadata", out var metadata) ||
            !_pods.TryGetValue(metadata.GetProperty("name").GetString() ?? "", out var timeline))
        {
            Interlocked.Increment(ref _strayEvents);
            return;
        }

        if (type == "DELETED")
        {
            timeline.DeletedSeen.TrySetResult();
            return;
        }

        if (timeline.Added == 0)
        {
            timeline.Added = at;
        }

        var phase = pod.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var p) ? p.GetString() : null;
        if (phase == "Running" && timeline.Running == 0)
        {
            timeline.Running = at;
            timeline.RunningSeen.TrySetResult();
        }
        else if (phase is "Failed" or "Succeeded")
        {
            timeline.Problem = $"phase {phase}";
            timeline.RunningSeen.TrySetException(new InvalidOperationException(timeline.Problem));
        }
        else if (WaitingReason(status) is { } waiting)
        {
            timeline.Problem = waiting;
        }
    }

    private static string? WaitingReason(JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Object || !status.TryGetProperty("containerStatuses", out var containers))
        {
            return null;
        }

        foreach (var container in containers.EnumerateArray())
        {
            if (container.TryGetProperty("state", out var state) && state.TryGetProperty("waiting", out var waiting) &&
                waiting.TryGetProperty("reason", out var reason) && reason.GetString() is { } text && text != "ContainerCreating")
            {
                var message = waiting.TryGetProperty("message", out var m) ? ": " + m.GetString() : "";
                return text + message;
            }
        }

        return null;
    }
}
