using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gantry.Agent.Simulated;
using Gantry.Bench.Measurement;
using Gantry.Harness;

namespace Gantry.Bench.Scenarios;

/// <summary>
/// (e) N watchers on one namespace's pods, then K creates: how long after the create was
/// acknowledged each watcher got its event, and how many events per second the server delivered.
/// </summary>
internal sealed class WatchFanout : IDisposable
{
    private const int CreateConcurrency = 8;
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    private readonly BenchContext _context;
    private readonly int _watchers;
    private readonly int _events;
    private readonly string _namespace;
    private readonly string _prefix;
    private readonly byte[] _namePattern;
    private readonly long[][] _received;
    private readonly long[] _sent;
    private readonly long[] _acknowledged;
    private readonly TaskCompletionSource _allDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CountdownEvent _headers;
    private int _remaining;
    private int _strayLines;

    private WatchFanout(BenchContext context, int watchers)
    {
        _context = context;
        _watchers = watchers;
        _events = context.Options.WatchEvents;
        _namespace = string.Create(CultureInfo.InvariantCulture, $"bench-watch-{watchers}");
        _prefix = string.Create(CultureInfo.InvariantCulture, $"w{watchers}-");
        _namePattern = Encoding.UTF8.GetBytes($"\"name\":\"{_prefix}");
        _received = Enumerable.Range(0, watchers).Select(_ => new long[_events]).ToArray();
        _sent = new long[_events];
        _acknowledged = new long[_events];
        _remaining = watchers * _events;
        _headers = new CountdownEvent(watchers);
    }

    public static async Task RunAsync(BenchContext context, int watchers)
    {
        using var fanout = new WatchFanout(context, watchers);
        await fanout.RunAsync().ConfigureAwait(false);
    }

    public void Dispose() => _headers.Dispose();

    private async Task RunAsync()
    {
        await _context.Api.CreateNamespaceAsync(_namespace).ConfigureAwait(false);
        var revision = await _context.Api.ListRevisionAsync(_namespace).ConfigureAwait(false);
        using var watchClient = ClusterClient.Create(_context.Server, _watchers + 8, _context.Options.HttpVersion, Timeout.InfiniteTimeSpan);
        using var stop = new CancellationTokenSource();
        var watches = Enumerable.Range(0, _watchers).Select(w => Task.Run(() => WatchAsync(watchClient, w, revision, stop.Token))).ToList();

        // The watches start at a fixed resourceVersion, so a slow registration delays events but loses none.
        if (!_headers.Wait(HeadersTimeout))
        {
            Finding($"only {_watchers - _headers.CurrentCount} of {_watchers} watches returned headers within {HeadersTimeout.TotalSeconds:0} s.");
        }

        var cpu = new CpuMeter(_context.Server.Pid);
        var started = Stopwatch.GetTimestamp();
        await CreateAllAsync().ConfigureAwait(false);
        var createsDone = Stopwatch.GetTimestamp();
        var complete = await Task.WhenAny(_allDelivered.Task, Task.Delay(DeliveryTimeout)).ConfigureAwait(false) == _allDelivered.Task;
        var usage = cpu.Stop();
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(watches).ConfigureAwait(false);
        Summarize(started, createsDone, complete, usage);
    }

    private async Task WatchAsync(HttpClient client, int watcher, long revision, CancellationToken cancellationToken)
    {
        var signalled = false;
        var times = _received[watcher];
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(
            string.Create(CultureInfo.InvariantCulture, $"{KubeApi.PodsPath(_namespace)}?watch=true&resourceVersion={revision}"), UriKind.Relative));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            _headers.Signal();
            signalled = true;
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await new WatchLineReader(stream).ReadAsync(line => OnEvent(times, line), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            Finding($"watcher {watcher} failed: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over: every watch is cut this way.
        }
        finally
        {
            if (!signalled)
            {
                _headers.Signal();
            }
        }
    }

    private void OnEvent(long[] times, ReadOnlySpan<byte> line)
    {
        var at = Stopwatch.GetTimestamp();
        if (!TryParseSequence(line, _namePattern, out var sequence) || sequence >= _events)
        {
            Interlocked.Increment(ref _strayLines);
            return;
        }

        if (times[sequence] == 0)
        {
            times[sequence] = at;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _allDelivered.TrySetResult();
            }
        }
    }

    private Task CreateAllAsync()
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, CreateConcurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < _events)
            {
                _sent[index] = Stopwatch.GetTimestamp();
                await _context.Api.CreatePodAsync(_namespace, string.Create(CultureInfo.InvariantCulture, $"{_prefix}{index}"), CancellationToken.None).ConfigureAwait(false);
                _acknowledged[index] = Stopwatch.GetTimestamp();
            }
        })));
    }

    private void Summarize(long started, long createsDone, bool complete, CpuUsage usage)
    {
        var fromAck = new List<long>(_watchers * _events);
        var fromSend = new List<long>(_watchers * _events);
        var beforeAck = 0;
        var lastDelivery = started;
        foreach (var times in _received)
        {
            for (var i = 0; i < _events; i++)
            {
                if (times[i] == 0)
                {
                    continue;
                }

                lastDelivery = Math.Max(lastDelivery, times[i]);
                var latency = times[i] - _acknowledged[i];
                beforeAck += latency < 0 ? 1 : 0;
                fromAck.Add(Math.Max(0, latency));
                fromSend.Add(times[i] - _sent[i]);
            }
        }

        var expected = _watchers * _events;
        var missing = expected - fromAck.Count;
        var window = Stopwatch.GetElapsedTime(started, lastDelivery);
        var createsPerSecond = _events / Stopwatch.GetElapsedTime(started, createsDone).TotalSeconds;
        var sendStats = LatencyStats.FromTicks(fromSend);
        var run = new LoadRun(fromAck, missing, complete ? null : $"{missing} events not delivered within {DeliveryTimeout.TotalSeconds:0} s", window, usage);
        var notes = string.Create(CultureInfo.InvariantCulture,
            $"req/s = events/s delivered to all watchers together; creates {createsPerSecond:0}/s at concurrency {CreateConcurrency}; from the create's send p50/p99 {sendStats.P50:0.00}/{sendStats.P99:0.00} ms; {beforeAck} events arrived before the create's answer (counted as 0)");
        if (_strayLines > 0)
        {
            notes += string.Create(CultureInfo.InvariantCulture, $"; {_strayLines} lines that were not one of the created pods");
        }

        _context.Add("(e) watch fan-out: create ack → event", $"{_watchers} watchers × {_events} pods", run, notes);
        if (!complete)
        {
            Finding($"{missing} of {expected} events never arrived within {DeliveryTimeout.TotalSeconds:0} s.");
        }
    }

    private void Finding(string message)
    {
        lock (_context.Findings)
        {
            _context.Findings.Add($"watch fan-out with {_watchers} watchers: {message}");
        }
    }

    /// <summary>Finds the pod's sequence number in a raw event line without parsing the JSON.</summary>
    private static bool TryParseSequence(ReadOnlySpan<byte> line, ReadOnlySpan<byte> pattern, out int sequence)
    {
        sequence = 0;
        var at = line.IndexOf(pattern);
        if (at < 0)
        {
            return false;
        }

        var digits = line[(at + pattern.Length)..];
        var length = digits.IndexOf((byte)'"');
        return length > 0 && int.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
