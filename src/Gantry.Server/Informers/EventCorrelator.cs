using k8s.Models;

namespace Gantry.Server.Informers;

/// <summary>
/// client-go's <c>EventCorrelator</c>: what the recorder makes of an event before it writes it. A repeat of the same
/// event raises its count; the tenth event in ten minutes that differs from its like only by message (a controller's
/// "Created pod: …" for each of its pods) is folded into one event "(combined from similar events): …"; and a source
/// may write 25 events about one object at once, then one every five minutes, however many it records. Occurrences
/// that are not written still count. Not thread-safe: the recorder correlates on its one writing loop.
/// </summary>
public sealed class EventCorrelator(TimeProvider time)
{
    private const int CacheSize = 4096;
    private const int AggregateMaxEvents = 10;
    private const int SpamBurst = 25;
    private static readonly TimeSpan AggregateInterval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan SpamRefill = TimeSpan.FromMinutes(5);

    private readonly LruCache<string, Aggregate> _aggregates = new(CacheSize);
    private readonly LruCache<string, Observation> _observations = new(CacheSize);
    private readonly LruCache<string, TokenBucket> _spam = new(CacheSize);

    /// <summary>
    /// The event to write for <paramref name="recorded"/>: named, counted and stamped as the occurrence it is, or
    /// null when the source has spent its allowance for the object.
    /// </summary>
    public Corev1Event? Correlate(Corev1Event recorded)
    {
        var now = time.GetUtcNow();
        var (correlated, key) = Aggregated(recorded, now);
        var seen = _observations.TryGet(key, out var last) ? last : null;
        var observation = seen is null
            ? new Observation(NewName(correlated, now), 1, correlated.FirstTimestamp ?? now.UtcDateTime)
            : seen with { Count = seen.Count + 1 };
        _observations.Set(key, observation);
        if (Spam(correlated, now))
        {
            return null;
        }

        correlated.Metadata.Name = observation.Name;
        correlated.Count = observation.Count;
        correlated.FirstTimestamp = observation.FirstTimestamp;
        correlated.LastTimestamp = now.UtcDateTime;
        return correlated;
    }

    /// <summary>The event itself and its own key, or, from the tenth like it, the aggregate event and its key.</summary>
    private (Corev1Event Event, string Key) Aggregated(Corev1Event recorded, DateTimeOffset now)
    {
        var aggregateKey = AggregateKey(recorded);
        if (!_aggregates.TryGet(aggregateKey, out var aggregate) || now - aggregate.Last > AggregateInterval)
        {
            aggregate = new Aggregate(new HashSet<string>(StringComparer.Ordinal), now);
        }

        aggregate.Messages.Add(recorded.Message ?? "");
        _aggregates.Set(aggregateKey, aggregate with { Last = now });
        if (aggregate.Messages.Count < AggregateMaxEvents)
        {
            return (recorded, EventKey(recorded));
        }

        // The set stays one short of the threshold, so that every further distinct message is aggregated too.
        aggregate.Messages.Remove(aggregate.Messages.First());
        return (new Corev1Event
        {
            Metadata = new V1ObjectMeta { NamespaceProperty = recorded.Namespace() },
            InvolvedObject = recorded.InvolvedObject,
            Type = recorded.Type,
            Reason = recorded.Reason,
            Message = "(combined from similar events): " + recorded.Message,
            Source = recorded.Source,
            ReportingComponent = recorded.ReportingComponent,
            FirstTimestamp = now.UtcDateTime,
        }, aggregateKey);
    }

    private bool Spam(Corev1Event e, DateTimeOffset now)
    {
        var key = string.Join('\n', e.Source?.Component, e.Source?.Host, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty,
            e.InvolvedObject.Name, e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion);
        var bucket = _spam.TryGet(key, out var held) ? held.Refilled(now) : new TokenBucket(SpamBurst, now);
        var allowed = bucket.Tokens >= 1;
        _spam.Set(key, allowed ? bucket with { Tokens = bucket.Tokens - 1 } : bucket);
        return !allowed;
    }

    /// <summary>What makes two occurrences the same event (client-go's <c>getEventKey</c>).</summary>
    private static string EventKey(Corev1Event e) =>
        string.Join('\n', e.Source?.Component, e.Source?.Host, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty,
            e.InvolvedObject.Name, e.InvolvedObject.FieldPath, e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type, e.Reason, e.Message);

    /// <summary>What makes events alike but for their message (client-go's <c>EventAggregatorByReasonFunc</c>).</summary>
    private static string AggregateKey(Corev1Event e) =>
        string.Join('\n', e.Source?.Component, e.Source?.Host, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty,
            e.InvolvedObject.Name, e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type, e.Reason, e.ReportingComponent, e.ReportingInstance);

    /// <summary>client-go's event name: the object's name and the time in nanoseconds, in hex.</summary>
    private static string NewName(Corev1Event e, DateTimeOffset now) =>
        $"{e.InvolvedObject.Name}.{(now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100:x}";

    private sealed record Aggregate(HashSet<string> Messages, DateTimeOffset Last);

    private sealed record Observation(string Name, int Count, DateTime FirstTimestamp);

    private sealed record TokenBucket(double Tokens, DateTimeOffset At)
    {
        public TokenBucket Refilled(DateTimeOffset now) =>
            new(Math.Min(SpamBurst, Tokens + ((now - At).TotalSeconds / SpamRefill.TotalSeconds)), now);
    }
}
