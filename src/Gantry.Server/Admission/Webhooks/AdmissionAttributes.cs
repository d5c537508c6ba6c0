using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Security;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// What one write asks, as kube's <c>admission.Attributes</c> describe it to the webhooks: the operation, the resource
/// and subresource, the object as written and the one it replaces, and who writes.
/// </summary>
/// <param name="Operation">One of <see cref="AdmissionOperations"/>.</param>
/// <param name="Type">The type the registry stores (a served version converts to it before the registry).</param>
/// <param name="Namespace">The object's namespace; for a Namespace object its own name, as kube names it.</param>
/// <param name="Object">The object written; null for a deletion.</param>
/// <param name="OldObject">The stored object an update or a deletion replaces; null for a create.</param>
/// <param name="User">Who writes; null for the server's own writes (its controllers).</param>
/// <param name="RequestApiVersion">The <c>apiVersion</c> the request came in, where it is not the stored one's.</param>
/// <param name="Options">The operation's options object (<c>CreateOptions</c>, <c>UpdateOptions</c>, <c>DeleteOptions</c>); none for CONNECT.</param>
public sealed record AdmissionAttributes(
    string Operation,
    ResourceType Type,
    string? Subresource,
    string? Namespace,
    string Name,
    JsonObject? Object,
    JsonObject? OldObject,
    bool DryRun,
    RequestUser? User,
    string? RequestApiVersion,
    JsonObject? Options)
{
    private static readonly ResourceType Namespaces = ResourceCatalog.Get("", "namespaces");

    public static AdmissionAttributes ForCreate(ResourceType type, string? ns, JsonObject obj, WriteOptions options) =>
        new(AdmissionOperations.Create, type, null, NamespaceOf(type, ns, ObjectName(obj)), ObjectName(obj), obj, null, options.DryRun,
            options.User, options.ServedApiVersion, WriteOptionsObject("CreateOptions", options));

    public static AdmissionAttributes ForUpdate(
        ResourceType type, string? ns, string name, string? subresource, JsonObject obj, JsonObject old, WriteOptions options) =>
        new(AdmissionOperations.Update, type, subresource, NamespaceOf(type, ns, name), name, obj, old, options.DryRun,
            options.User, options.ServedApiVersion, WriteOptionsObject("UpdateOptions", options));

    public static AdmissionAttributes ForDelete(ResourceType type, string? ns, string name, JsonObject old, DeleteRequest request)
    {
        var options = OptionsObject("DeleteOptions", request.DryRun);
        if (request.GracePeriodSeconds is { } grace)
        {
            options["gracePeriodSeconds"] = grace;
        }

        if (request.PropagationPolicy is { } policy)
        {
            options["propagationPolicy"] = policy;
        }

        return new(AdmissionOperations.Delete, type, null, NamespaceOf(type, ns, name), name, null, old, request.DryRun, request.User, null, options);
    }

    /// <summary>
    /// A request the registry does not write itself, shown to the webhooks with its own object (<c>PodExecOptions</c> of
    /// a CONNECT, an Eviction or Binding created, a Scale updated) under the resource it is a subresource of.
    /// </summary>
    /// <param name="requestApiVersion">The version of the resource the request was sent to, where it is not the stored one's.</param>
    public static AdmissionAttributes ForSubresource(
        string operation, ResourceType type, string? ns, string name, string subresource, JsonObject? obj, JsonObject? old, bool dryRun, RequestUser? user,
        string? requestApiVersion = null)
    {
        var optionsKind = operation switch
        {
            AdmissionOperations.Create => "CreateOptions",
            AdmissionOperations.Update => "UpdateOptions",
            _ => null,
        };
        var options = optionsKind is null ? null : OptionsObject(optionsKind, dryRun);
        return new(operation, type, subresource, ns, name, obj, old, dryRun, user, requestApiVersion, options);
    }

    private static string ObjectName(JsonObject obj) => ObjectMetadata.Name(obj) ?? "";

    // kube gives a Namespace's own requests its name as their namespace.
    private static string? NamespaceOf(ResourceType type, string? ns, string name) => type == Namespaces ? name : ns;

    private static JsonObject WriteOptionsObject(string kind, WriteOptions options)
    {
        var obj = OptionsObject(kind, options.DryRun);
        if (options.FieldManager is { } manager)
        {
            obj["fieldManager"] = manager;
        }

        return obj;
    }

    private static JsonObject OptionsObject(string kind, bool dryRun)
    {
        var obj = new JsonObject { ["kind"] = kind, ["apiVersion"] = "meta.k8s.io/v1" };
        if (dryRun)
        {
            obj["dryRun"] = new JsonArray("All");
        }

        return obj;
    }
}
