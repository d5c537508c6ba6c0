using System.Globalization;
using System.Net;

namespace Gantry.Durability;

/// <summary>
/// Writers that hammer the server until it dies: creators of uniquely named config maps and updaters
/// that race each other on a few hot ones with resourceVersion preconditions. Every attempt goes to
/// the ledger before it is sent, and its outcome after the answer.
/// </summary>
internal sealed class Workload
{
    private readonly HttpClient _client;
    private readonly DurabilityLedger _ledger;
    private readonly int _cycle;
    private readonly TaskCompletionSource _firstAcknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _killed;

    public Workload(HttpClient client, DurabilityLedger ledger, int cycle)
    {
        _client = client;
        _ledger = ledger;
        _cycle = cycle;
    }

    /// <summary>Completes at the first acknowledged write: connections are open and the server is busy writing.</summary>
    public Task FirstAcknowledged => _firstAcknowledged.Task;

    /// <summary>Called just before the SIGKILL: from then on a failed request is expected, not a finding.</summary>
    public void MarkKilled() => _killed = true;

    /// <summary>Runs until every writer has hit the dead server (or <paramref name="cancellationToken"/> fires).</summary>
    public Task RunAsync(int creators, IReadOnlyList<string> hotKeys, int updatersPerKey, CancellationToken cancellationToken)
    {
        var writers = new List<Task>();
        for (var writer = 0; writer < creators; writer++)
        {
            var id = writer;
            writers.Add(Task.Run(() => CreateLoopAsync(id, cancellationToken), cancellationToken));
        }

        foreach (var key in hotKeys)
        {
            for (var i = 0; i < updatersPerKey; i++)
            {
                writers.Add(Task.Run(() => UpdateLoopAsync(key, cancellationToken), cancellationToken));
            }
        }

        return Task.WhenAll(writers);
    }

    /// <summary>One create, for setting up objects before the crashes start; throws unless acknowledged.</summary>
    public async Task CreateAsync(string name, CancellationToken cancellationToken)
    {
        var attempt = _ledger.Begin(WriteKind.Create, name, precondition: 0);
        using var response = await _client.PostAsync(new Uri(ConfigMaps.CollectionPath, UriKind.Relative), ConfigMaps.Body(name, attempt.Nonce, 0), cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating {name}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        }

        attempt.Acknowledge(ConfigMaps.ResourceVersionOf(body));
    }

    private async Task CreateLoopAsync(int writer, CancellationToken cancellationToken)
    {
        for (var sequence = 0; !cancellationToken.IsCancellationRequested; sequence++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{ConfigMaps.NamePrefix}c{_cycle}-w{writer}-{sequence}");
            var attempt = _ledger.Begin(WriteKind.Create, name, precondition: 0);
            var answer = await SendAsync(HttpMethod.Post, ConfigMaps.CollectionPath, ConfigMaps.Body(name, attempt.Nonce, 0), cancellationToken)
                .ConfigureAwait(false);
            if (answer is not (var status, var body))
            {
                return;
            }

            if (!Record(attempt, status, body))
            {
                return;
            }
        }
    }

    private async Task UpdateLoopAsync(string key, CancellationToken cancellationToken)
    {
        var revision = _ledger.RevisionOf(key);
        while (!cancellationToken.IsCancellationRequested)
        {
            var attempt = _ledger.Begin(WriteKind.Update, key, revision);
            var answer = await SendAsync(HttpMethod.Put, ConfigMaps.ItemPath(key), ConfigMaps.Body(key, attempt.Nonce, revision), cancellationToken)
                .ConfigureAwait(false);
            if (answer is not (var status, var body) || !Record(attempt, status, body))
            {
                return;
            }

            if (attempt.Outcome == WriteOutcome.Acknowledged)
            {
                revision = attempt.Revision;
                continue;
            }

            // Another updater won the race: start again from the current state.
            var current = await SendAsync(HttpMethod.Get, ConfigMaps.ItemPath(key), null, cancellationToken).ConfigureAwait(false);
            if (current is not (var getStatus, var getBody))
            {
                return;
            }

            if (getStatus != HttpStatusCode.OK)
            {
                _ledger.Anomaly($"GET {key} while the server was up: {(int)getStatus} {System.Text.Encoding.UTF8.GetString(getBody)}");
                return;
            }

            revision = ConfigMaps.ResourceVersionOf(getBody);
        }
    }

    /// <returns>Whether the writer should go on.</returns>
    private bool Record(WriteAttempt attempt, HttpStatusCode status, byte[] body)
    {
        if ((int)status is >= 200 and < 300)
        {
            attempt.Acknowledge(ConfigMaps.ResourceVersionOf(body));
            _firstAcknowledged.TrySetResult();
            return true;
        }

        if (status == HttpStatusCode.TooManyRequests || (status == HttpStatusCode.Conflict && attempt.Kind == WriteKind.Update))
        {
            attempt.Reject();
            return true;
        }

        // The outcome stays Unknown: a server that answers 500 may still have written.
        _ledger.Anomaly($"{attempt.Kind} {attempt.Name} while the server was up: {(int)status} {System.Text.Encoding.UTF8.GetString(body)}");
        return false;
    }

    /// <returns>The status and body, or null once the server is unreachable.</returns>
    private async Task<(HttpStatusCode Status, byte[] Body)?> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            if (!_killed)
            {
                _ledger.Anomaly($"{method} {path} failed while the server was up: {ex.GetType().Name}: {ex.Message}");
            }

            return null;
        }
    }
}
