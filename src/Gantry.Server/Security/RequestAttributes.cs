using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// What a resource request asks to do, in the terms of k8s.io/apiserver's <c>authorizer.Attributes</c>: the verb
/// (get, list, watch, create, update, patch, delete, deletecollection), the API group, the resource and its
/// subresource, the namespace and the object's name.
/// </summary>
public sealed record RequestAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    /// <summary>The verb as the apiserver's RequestInfoFactory derives it from the method and the path.</summary>
    public static RequestAttributes Of(HttpRequest request, ResourcePath path)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(path);
        var verb = request.Method switch
        {
            "GET" or "HEAD" when path.Name is null => IsWatch(request) ? "watch" : "list",
            "GET" or "HEAD" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when path.Name is null => "deletecollection",
            "DELETE" => "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        // As kube's RequestInfoFactory: a namespace is in its own namespace, so a RoleBinding can grant reading it.
        var ns = path.Type is { Group: "", Plural: "namespaces" } ? path.Name : path.Namespace;
        // The served group: events.k8s.io/v1 Events are stored as core ones, and RBAC grants each group its own.
        return new RequestAttributes(verb, path.Served.Group, path.Served.Plural, path.Subresource, ns, path.Name);
    }

    /// <summary>The resource as RBAC rules name it: <c>pods</c>, or <c>pods/status</c> for a subresource.</summary>
    public string QualifiedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    private static bool IsWatch(HttpRequest request) => request.Query["watch"].ToString() is "true" or "1";
}
