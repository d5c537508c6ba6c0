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
/// minutes); a token may be bound to a pod, which must exist with the uid given, and then names the pod's node too.
/// A node may only ask for a token bound to a pod on itself, as the NodeRestriction admission plugin allows.
/// </summary>
public sealed class TokenRequestSubresource(ObjectRegistry registry, ServiceAccountTokens tokens, NodeRole nodes, TimeProvider time)
{
    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 600;
    private const long MaxExpirationSeconds = 1L << 32;

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

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

        var (pod, node) = Bound(context, spec["boundObjectRef"] as JsonObject, path.Type, ns, name);
        var now = time.GetUtcNow();
        var expiry = now.AddSeconds(expirationSeconds);
        var claims = new ServiceAccountTokenClaims(
            ns, name, ObjectMetadata.Uid(serviceAccount) ?? "", audiences, now, expiry, Guid.NewGuid().ToString())
        {
            Pod = pod,
            Node = node,
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

    /// <summary>The pod the token is bound to and its node, if the request names one.</summary>
    private (BoundObject? Pod, BoundObject? Node) Bound(HttpContext context, JsonObject? reference, ResourceType serviceAccounts, string ns, string serviceAccount)
    {
        var user = RequestUser.Of(context);
        var kind = reference?["kind"]?.GetValue<string>();
        var apiVersion = reference?["apiVersion"]?.GetValue<string>() ?? "";
        var podName = reference?["name"]?.GetValue<string>() ?? "";
        var uid = reference?["uid"]?.GetValue<string>() ?? "";
        if (user.IsIn(RequestUser.Nodes) && !user.IsIn(RequestUser.Masters))
        {
            if (kind != "Pod" || apiVersion != "v1" || podName.Length == 0)
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
            return (null, null);
        }

        if (kind != "Pod" || apiVersion is not ("v1" or ""))
        {
            throw ApiException.BadRequest($"cannot bind token for serviceaccount \"{serviceAccount}\" to object of type {GroupVersionKind(apiVersion, kind)}");
        }

        var pod = JsonNode.Parse(registry.GetRequired(Pods, ns, podName).Json)!.AsObject();
        var podUid = ObjectMetadata.Uid(pod) ?? "";
        if (uid.Length > 0 && uid != podUid)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on Pod \"{podName}\": the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        if (user.IsIn(RequestUser.Nodes) && !user.IsIn(RequestUser.Masters) && !nodes.IsOnOwnNode(user, ns, podName))
        {
            throw ApiException.Forbidden(serviceAccounts, serviceAccount, "node requested token bound to a pod scheduled on a different node");
        }

        var nodeName = pod["spec"]?["nodeName"]?.GetValue<string>();
        var node = string.IsNullOrEmpty(nodeName) || registry.Get(Nodes, null, nodeName) is not { } cached
            ? null
            : new BoundObject(nodeName, ObjectMetadata.Uid(JsonNode.Parse(cached.Json)!.AsObject()) ?? "");
        return (new BoundObject(podName, podUid), node);
    }

    private static string GroupVersionKind(string apiVersion, string? kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return $"{group}/{version}, Kind={kind}";
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
