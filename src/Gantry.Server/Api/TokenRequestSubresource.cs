using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Gantry.Server.Security.ServiceAccounts;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// <c>serviceaccounts/{name}/token</c>: issues a token for the service account (<c>kubectl create token</c>, and what
/// an agent asks for a pod's projected token), as kube's TokenREST does: the body is an authentication.k8s.io/v1
/// TokenRequest whose audiences default to the API server's and whose expiry defaults to an hour (at least ten
/// minutes); a token may be bound to a pod running as the account (and then names the pod's node too), a node or a
/// secret, which must exist with the uid given.
/// A node may only ask for a token bound to a pod on itself, as the NodeRestriction admission plugin allows.
/// </summary>
public sealed class TokenRequestSubresource(ObjectRegistry registry, ServiceAccountTokens tokens, NodeRole nodes, TimeProvider time)
{
    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 600;
    private const long MaxExpirationSeconds = 1L << 32;

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");
    private static readonly ResourceType Secrets = ResourceCatalog.Get("", "secrets");

    public async Task HandleAsync(HttpContext context, ResourcePath path)
    {
        var (ns, name) = (path.Namespace!, path.Name!);
        var request = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        CheckNames(request, ns, name);
        var serviceAccount = JsonNode.Parse(registry.GetRequired(path.Type, ns, name).Json)!.AsObject();
        var spec = request["spec"] as JsonObject ?? [];
        var audiences = spec["audiences"] is JsonArray { Count: > 0 } asked
            ? asked.Select(a => a?.GetValue<string>() ?? "").ToList()
            : [.. ServiceAccountTokens.ApiAudiences];
        var expirationSeconds = spec["expirationSeconds"]?.GetValue<long>() ?? DefaultExpirationSeconds;
        var errors = new List<FieldError>();
        if (expirationSeconds < MinExpirationSeconds)
        {
            errors.Add(new(FieldErrorType.Invalid, "spec.expirationSeconds", "may not specify a duration less than 10 minutes", expirationSeconds));
        }

        if (expirationSeconds > MaxExpirationSeconds)
        {
            errors.Add(new(FieldErrorType.Invalid, "spec.expirationSeconds", "may not specify a duration larger than 2^32 seconds", expirationSeconds));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid("authentication.k8s.io", "TokenRequest", "", errors);
        }

        var bound = Bound(context, spec["boundObjectRef"] as JsonObject, path.Type, ns, name);
        var now = time.GetUtcNow();
        var expiry = now.AddSeconds(expirationSeconds);
        var claims = new ServiceAccountTokenClaims(
            ns, name, ObjectMetadata.Uid(serviceAccount) ?? "", audiences, now, expiry, Guid.NewGuid().ToString())
        {
            Pod = bound.Pod,
            Node = bound.Node,
            Secret = bound.Secret,
        };
        spec["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]);
        spec["expirationSeconds"] = expirationSeconds;
        await HttpResponses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["creationTimestamp"] = Timestamp(now),
            },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject
            {
                ["token"] = tokens.Issue(claims),
                ["expirationTimestamp"] = Timestamp(expiry),
            },
        }).ConfigureAwait(false);
    }

    private static void CheckNames(JsonObject request, string ns, string name)
    {
        if (request["metadata"]?["name"]?.GetValue<string>() is { Length: > 0 } named && named != name)
        {
            throw ApiException.Invalid("authentication.k8s.io", "TokenRequest", name,
                [new(FieldErrorType.Invalid, "metadata.name", "must match the service account name if specified", named)]);
        }

        if (request["metadata"]?["namespace"]?.GetValue<string>() is { Length: > 0 } inNamespace && inNamespace != ns)
        {
            throw ApiException.Invalid("authentication.k8s.io", "TokenRequest", name,
                [new(FieldErrorType.Invalid, "metadata.namespace", "must match the service account namespace if specified", inNamespace)]);
        }
    }

    /// <summary>
    /// What the token is bound to, if the request names an object (kube's TokenREST): a pod running as this service
    /// account (and the node it is on, named in the token), a node, or a secret of the namespace. The object must exist,
    /// with the uid given, if one is.
    /// </summary>
    private BoundObjects Bound(HttpContext context, JsonObject? reference, ResourceType serviceAccounts, string ns, string serviceAccount)
    {
        var user = RequestUser.Of(context);
        var kind = reference?["kind"]?.GetValue<string>();
        var apiVersion = reference?["apiVersion"]?.GetValue<string>() ?? "";
        var objectName = reference?["name"]?.GetValue<string>() ?? "";
        var uid = reference?["uid"]?.GetValue<string>() ?? "";
        if (user.IsIn(RequestUser.Nodes) && !user.IsIn(RequestUser.Masters))
        {
            if (kind != "Pod" || apiVersion != "v1" || objectName.Length == 0)
            {
                throw ApiException.Forbidden(serviceAccounts, serviceAccount, "node requested token not bound to a pod");
            }

            if (uid.Length == 0)
            {
                throw ApiException.Forbidden(serviceAccounts, serviceAccount, "node requested token with a pod binding without a uid");
            }
        }

        if (reference is null)
        {
            return new BoundObjects(null, null, null);
        }

        var core = apiVersion is "v1" or "";
        var type = (core, kind) switch
        {
            (true, "Pod") => Pods,
            (true, "Node") => Nodes,
            (true, "Secret") => Secrets,
            _ => throw ApiException.BadRequest($"cannot bind token to object of type {GroupVersionKind(apiVersion, kind)}"),
        };
        var bound = JsonNode.Parse(registry.GetRequired(type, type.Namespaced ? ns : null, objectName).Json)!.AsObject();
        var boundUid = ObjectMetadata.Uid(bound) ?? "";
        if (uid.Length > 0 && uid != boundUid)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {kind} \"{objectName}\": the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        var target = new BoundObject(objectName, boundUid);
        if (type == Nodes)
        {
            return new BoundObjects(null, target, null);
        }

        if (type == Secrets)
        {
            return new BoundObjects(null, null, target);
        }

        if ((bound["spec"]?["serviceAccountName"]?.GetValue<string>() ?? "") != serviceAccount)
        {
            throw ApiException.BadRequest($"cannot bind token for serviceaccount \"{serviceAccount}\" to pod running with different serviceaccount name.");
        }

        if (user.IsIn(RequestUser.Nodes) && !user.IsIn(RequestUser.Masters) && !nodes.IsOnOwnNode(user, ns, objectName))
        {
            throw ApiException.Forbidden(serviceAccounts, serviceAccount, "node requested token bound to a pod scheduled on a different node");
        }

        var nodeName = bound["spec"]?["nodeName"]?.GetValue<string>();
        var node = string.IsNullOrEmpty(nodeName) || registry.Get(Nodes, null, nodeName) is not { } cached
            ? null
            : new BoundObject(nodeName, ObjectMetadata.Uid(JsonNode.Parse(cached.Json)!.AsObject()) ?? "");
        return new BoundObjects(target, node, null);
    }

    /// <summary>The objects a token names: the one it is bound to, and a pod's node.</summary>
    private sealed record BoundObjects(BoundObject? Pod, BoundObject? Node, BoundObject? Secret);

    private static string GroupVersionKind(string apiVersion, string? kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return $"{group}/{version}, Kind={kind}";
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
