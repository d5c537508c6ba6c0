using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;

namespace Gantry.Bench.Registry;

/// <summary>
/// <c>registry --steps</c>: the steps of a pod's three writes as the registry, the watch cache and an informer take them,
/// each repeated on one pod on one thread, with the time and the bytes allocated per step. Each step is a pass over the
/// object's JSON or a walk of its tree; their sum, set beside the CPU the same write costs under load (the phases of
/// <see cref="WritePathBenchmark"/>), tells the share of the work that is these passes and the share that is the store,
/// the collector and the waits around them. The informer's decode is the one shared informer's, once per version.
/// </summary>
internal static class WriteSteps
{
    private const int Repeats = 20_000;

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    public static void Measure(string createBody, byte[] created, byte[] bound, string statusPatch, string creator, string nodeManager)
    {
        var rules = ResourceRulesCatalog.For(Pods);
        var warnings = new List<string>();
        var now = DateTimeOffset.UtcNow;
        var rows = new List<(string Write, string Step, double Micros, long Bytes)>();

        void Step(string write, string step, Action action)
        {
            var (micros, bytes) = Time(action);
            rows.Add((write, step, micros, bytes));
        }

        // A step that needs a fresh tree each time is timed with the step that makes it (the last one, unless named),
        // which is then taken off.
        void StepAfter(string write, string step, Action action, string? madeBy = null)
        {
            var (micros, bytes) = Time(action);
            var before = madeBy is null ? rows[^1] : rows.Last(r => r.Write == write && r.Step == madeBy);
            rows.Add((write, step, micros - before.Micros, bytes - before.Bytes));
        }

        // The create: the request's tree, its typed decode, defaults and checks, the tree stored, its managed fields.
        var request = JsonNode.Parse(createBody)!.AsObject();
        var typedNew = ObjectDecoder.Decode(Pods, request, FieldValidation.Strict, warnings);
        rules.Default(typedNew);
        var storedNew = ObjectDecoder.ToNode(typedNew);
        ManagedFields.RecordUpdate(null, storedNew, creator, "v1", now, resetFields: ["status"]);
        Step("create", "parse the request", () => JsonNode.Parse(createBody));
        Step("create", "decode it typed (and look for unknown fields)", () => ObjectDecoder.Decode(Pods, JsonNode.Parse(createBody)!.AsObject(), FieldValidation.Strict, warnings));
        // Defaults are timed on the defaulted pod: the same walk, with nothing left to set.
        Step("create", "default and validate", () =>
        {
            rules.Default(typedNew);
            ObjectMetaValidation.Validate(Pods, typedNew.Metadata);
            rules.ValidateCreate(typedNew);
        });
        Step("create", "the typed pod back to a tree", () => ObjectDecoder.ToNode(typedNew));
        StepAfter("create", "its managed fields", () => ManagedFields.RecordUpdate(null, ObjectDecoder.ToNode(typedNew), creator, "v1", now, resetFields: ["status"]));
        Step("create", "the tree written for the store", () => JsonScratch.ToArray(storedNew));
        Step("create", "the watch cache's index and version", () => ObjectIndex.Build("/registry/pods/b/p", created, 1, 1));
        Step("create", "an informer's typed decode", () => JsonSerializer.Deserialize<V1Pod>(created, KubernetesJsonOptions.WithoutManagedFields));

        // The bind: the cached pod parsed, its tree written, the bound version indexed and decoded. Setting the node name
        // and the condition (PodBinding's few members) is not timed.
        var boundTree = JsonNode.Parse(created)!.AsObject();
        Step("bind", "parse the cached pod", () => JsonNode.Parse(created));
        Step("bind", "the tree written for the store", () => JsonScratch.ToArray(boundTree));
        Step("bind", "the watch cache's index and version", () => ObjectIndex.Build("/registry/pods/b/p", bound, 1, 2));
        Step("bind", "an informer's typed decode", () => JsonSerializer.Deserialize<V1Pod>(bound, KubernetesJsonOptions.WithoutManagedFields));

        // The status patch, as PrepareStatusUpdate takes it.
        var current = JsonNode.Parse(bound)!.AsObject();
        var changed = JsonMergePatch.Apply(current.DeepClone(), JsonNode.Parse(statusPatch)!)!.AsObject();
        var old = ObjectDecoder.DecodeStored(Pods, bound);
        old.Metadata.ResourceVersion = null;
        var typedStatus = ObjectDecoder.WithStatus(Pods, old, changed["status"], FieldValidation.Strict, warnings);
        rules.Default(typedStatus);
        var status = ObjectDecoder.StatusToNode(typedStatus)!;
        var storedStatus = WithNewStatus(JsonNode.Parse(bound)!.AsObject(), status, nodeManager, now);
        var running = JsonScratch.ToArray(storedStatus);
        Step("status", "parse the cached pod", () => JsonNode.Parse(bound));
        Step("status", "copy it and merge the patch in", () => JsonMergePatch.Apply(current.DeepClone(), JsonNode.Parse(statusPatch)!));
        Step("status", "decode the stored pod typed", () => ObjectDecoder.DecodeStored(Pods, bound));
        Step("status", "decode the new status onto it", () => ObjectDecoder.WithStatus(Pods, old, changed["status"], FieldValidation.Strict, warnings));
        Step("status", "default and validate", () =>
        {
            rules.PrepareForUpdate(typedStatus, old);
            rules.Default(typedStatus);
            rules.ValidateStatusUpdate(typedStatus, old);
        });
        Step("status", "the typed status back to a tree", () => ObjectDecoder.StatusToNode(typedStatus));
        StepAfter(
            "status",
            "the new status in the parsed pod, and managed fields",
            () => WithNewStatus(JsonNode.Parse(bound)!.AsObject(), status.DeepClone(), nodeManager, now),
            madeBy: "parse the cached pod");
        Step("status", "the tree written for the store", () => JsonScratch.ToArray(storedStatus));
        Step("status", "the watch cache's index and version", () => ObjectIndex.Build("/registry/pods/b/p", running, 1, 3));
        Step("status", "an informer's typed decode", () => JsonSerializer.Deserialize<V1Pod>(running, KubernetesJsonOptions.WithoutManagedFields));

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One pod ({created.Length} bytes created, {bound.Length} bound, {running.Length} running), each step {Repeats} times on one thread after as many to warm up."));
        Console.Out.WriteLine();
        Console.Out.WriteLine("| write | step | µs | bytes allocated |");
        Console.Out.WriteLine("|---|---|---:|---:|");
        foreach (var (write, step, micros, bytes) in rows)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {write} | {step} | {micros:0.0} | {bytes} |"));
        }

        foreach (var write in rows.Select(r => r.Write).Distinct())
        {
            var steps = rows.Where(r => r.Write == write).ToList();
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {write} | **sum** | **{steps.Sum(r => r.Micros):0.0}** | {steps.Sum(r => r.Bytes)} |"));
        }
    }

    /// <summary>The stored pod as <c>PrepareStatusUpdate</c> makes it from the write's parse of the cached one.</summary>
    private static JsonObject WithNewStatus(JsonObject parsed, JsonNode status, string nodeManager, DateTimeOffset now)
    {
        var before = new JsonObject();
        if (parsed["status"] is { } oldStatus)
        {
            parsed.Remove("status");
            before["status"] = oldStatus;
        }

        parsed["status"] = status;
        ManagedFields.RecordUpdate(before, parsed, nodeManager, "v1", now, "status", onlyChangedMember: "status");
        return parsed;
    }

    private static (double Micros, long Bytes) Time(Action action)
    {
        for (var i = 0; i < Repeats; i++)
        {
            action();
        }

        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Repeats; i++)
        {
            action();
        }

        clock.Stop();
        return (clock.Elapsed.TotalMicroseconds / Repeats, (GC.GetAllocatedBytesForCurrentThread() - allocated) / Repeats);
    }
}
