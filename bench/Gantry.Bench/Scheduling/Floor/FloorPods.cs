using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Server.Storage;

namespace Gantry.Bench.Scheduling.Floor;

/// <summary>
/// The protocol floor's pods: each version decoded once and encoded once, kept in memory (and, with a store, committed
/// to it, with a Scheduled event for each bind), sent to the watches that select it. A created pod is bound at once to the next registered node in turn, with no filter, score or check: the least any
/// scheduler could do.
/// </summary>
internal sealed class FloorPods
{
    private readonly Dictionary<string, JsonObject> _pods = new(StringComparer.Ordinal);
    private readonly List<FloorWatcher> _watchers = [];
    private readonly List<string> _nodes = [];
    private readonly Lock _lock = new();
    private readonly IVersionedStore? _store;
    private long _revision;
    private int _nextNode;

    /// <param name="store">Where each version is committed before it is answered or sent; none: kept in memory alone.</param>
    public FloorPods(IVersionedStore? store)
    {
        _store = store;
    }

    private static ReadOnlySpan<byte> MetadataStart => "\"metadata\":{"u8;

    public long Revision => Interlocked.Read(ref _revision);

    public void AddNode(string name)
    {
        lock (_lock)
        {
            _nodes.Add(name);
        }
    }

    /// <summary>
    /// A watch of the versions written from now on, whatever resource version it asked for: the bench and its nodes
    /// start their watches before the first pod is created, and nothing here keeps history to replay.
    /// </summary>
    public FloorWatcher Watch(string? @namespace, bool boundOnly)
    {
        var watcher = new FloorWatcher(@namespace, boundOnly);
        lock (_lock)
        {
            _watchers.Add(watcher);
        }

        return watcher;
    }

    public void Unwatch(FloorWatcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>A PodList of the pods the selection takes, encoded.</summary>
    public byte[] List(string? @namespace, bool boundOnly)
    {
        var items = new JsonArray();
        lock (_lock)
        {
            foreach (var pod in _pods.Values)
            {
                if ((@namespace is null || NamespaceOf(pod) == @namespace) && (!boundOnly || NodeOf(pod) is not null))
                {
                    items.Add(pod.DeepClone());
                }
            }

            return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["kind"] = "PodList",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = Revision.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            });
        }
    }

    /// <summary>Stores the pod and answers with it; then binds it and sends the bind to the watches.</summary>
    /// <returns>The created pod, encoded; null when the name is taken.</returns>
    public async Task<byte[]?> CreateAsync(string @namespace, JsonObject pod, CancellationToken cancellationToken)
    {
        var metadata = pod["metadata"] as JsonObject ?? throw new FormatException("the pod has no metadata");
        var spec = pod["spec"] as JsonObject ?? throw new FormatException("the pod has no spec");
        var name = metadata["name"]?.GetValue<string>() ?? throw new FormatException("the pod has no name");
        metadata["namespace"] = @namespace;
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var key = Key(@namespace, name);
        lock (_lock)
        {
            if (!_pods.TryAdd(key, pod))
            {
                return null;
            }
        }

        var created = await WriteAsync("ADDED", @namespace, key, pod, cancellationToken).ConfigureAwait(false);
        string? node = null;
        lock (_lock)
        {
            if (_nodes.Count > 0)
            {
                node = _nodes[_nextNode++ % _nodes.Count];
            }
        }

        if (node is not null)
        {
            spec["nodeName"] = node;
            await WriteAsync("MODIFIED", @namespace, key, pod, cancellationToken).ConfigureAwait(false);
            await RecordAsync($"/registry/events/{@namespace}/{name}.{Guid.NewGuid():N}", Scheduled(@namespace, name, metadata["uid"]!.GetValue<string>(), node), cancellationToken)
                .ConfigureAwait(false);
        }

        return created;
    }

    /// <summary>With a store, commits an object that no watch here selects (a lease renewal, an event); without, nothing.</summary>
    public async Task RecordAsync(string key, JsonNode value, CancellationToken cancellationToken)
    {
        if (_store is not null)
        {
            await _store.CommitAsync(new Mutation(key, JsonSerializer.SerializeToUtf8Bytes(value), null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Merges a status patch into the stored pod, as a merge patch of the status subresource does.</summary>
    /// <returns>The patched pod, encoded; null when there is no such pod.</returns>
    public async Task<byte[]?> PatchStatusAsync(string @namespace, string name, JsonNode patch, CancellationToken cancellationToken)
    {
        var key = Key(@namespace, name);
        JsonObject? pod;
        lock (_lock)
        {
            _pods.TryGetValue(key, out pod);
        }

        if (pod is null)
        {
            return null;
        }

        if (patch["status"] is { } status)
        {
            pod["status"] = JsonMergePatch.Apply(pod["status"]?.DeepClone(), status.DeepClone());
        }

        return await WriteAsync("MODIFIED", @namespace, key, pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Encodes the pod once, commits it to the store when there is one (acknowledged once durable, as gantry's writes),
    /// and sends it with its revision to each watch that selects it. One writer per pod at a time: its create and bind
    /// are one request, and its status is patched only after the bind was sent.
    /// </summary>
    private async Task<byte[]> WriteAsync(string type, string @namespace, string key, JsonObject pod, CancellationToken cancellationToken)
    {
        var metadata = (JsonObject)pod["metadata"]!;
        metadata.Remove("resourceVersion");
        var value = JsonSerializer.SerializeToUtf8Bytes(pod);
        var revision = _store is null
            ? Interlocked.Increment(ref _revision)
            : (await _store.CommitAsync(new Mutation("/registry/pods/" + key, value, null), cancellationToken).ConfigureAwait(false)).Revision;
        metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        var encoded = WithResourceVersion(value, revision);
        var bound = NodeOf(pod) is not null;
        lock (_lock)
        {
            if (revision > _revision)
            {
                _revision = revision;
            }

            byte[]? watchEvent = null;
            foreach (var watcher in _watchers)
            {
                if (watcher.Wants(@namespace, bound))
                {
                    watchEvent ??= WatchEvent(type, encoded);
                    watcher.Send(watchEvent);
                }
            }
        }

        return encoded;
    }

    /// <summary>The object's bytes with <c>metadata.resourceVersion</c> spliced in first, as gantry splices it into stored bytes.</summary>
    private static byte[] WithResourceVersion(byte[] value, long revision)
    {
        var at = value.AsSpan().IndexOf(MetadataStart) + MetadataStart.Length;
        var member = Encoding.UTF8.GetBytes($"\"resourceVersion\":\"{revision.ToString(CultureInfo.InvariantCulture)}\"{(value[at] == (byte)'}' ? "" : ",")}");
        var spliced = new byte[value.Length + member.Length];
        value.AsSpan(0, at).CopyTo(spliced);
        member.CopyTo(spliced.AsSpan(at));
        value.AsSpan(at).CopyTo(spliced.AsSpan(at + member.Length));
        return spliced;
    }

    /// <summary>The event a scheduler records for each bind, as kube-scheduler and gantry's record it.</summary>
    private static JsonObject Scheduled(string @namespace, string name, string uid, string node)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "events.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["eventTime"] = now,
            ["reportingController"] = "default-scheduler",
            ["reportingInstance"] = "default-scheduler-floor",
            ["action"] = "Binding",
            ["reason"] = "Scheduled",
            ["regarding"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = @namespace, ["name"] = name, ["uid"] = uid, ["apiVersion"] = "v1" },
            ["note"] = $"Successfully assigned {@namespace}/{name} to {node}",
            ["type"] = "Normal",
        };
    }

    private static byte[] WatchEvent(string type, byte[] encoded)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var line = new byte[head.Length + encoded.Length + 2];
        head.CopyTo(line, 0);
        encoded.CopyTo(line, head.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }

    private static string Key(string @namespace, string name) => @namespace + "/" + name;

    private static string? NamespaceOf(JsonObject pod) => pod["metadata"]?["namespace"]?.GetValue<string>();

    private static string? NodeOf(JsonObject pod) => pod["spec"]?["nodeName"]?.GetValue<string>();
}
