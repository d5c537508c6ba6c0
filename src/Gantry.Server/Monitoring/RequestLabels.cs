using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Monitoring;

/// <summary>
/// The labels kube-apiserver gives a request in <c>apiserver_request_total</c> and
/// <c>apiserver_request_duration_seconds</c> (k8s.io/apiserver's endpoints/metrics): the verb as its metrics clean it
/// (LIST and WATCH for collections, APPLY for a server-side apply, CONNECT for exec, attach, port-forward and proxy),
/// the dry-run value, the group, version, resource and subresource, and the scope. A request outside the resource API
/// has only its verb and its path's first segment as the subresource (<c>/healthz</c>, <c>/apis</c>).
/// </summary>
public readonly record struct RequestLabels(
    string Verb, string DryRun, string Group, string Version, string Resource, string Subresource, string Scope)
{
    private static readonly HashSet<string> ConnectSubresources = ["exec", "attach", "portforward", "proxy"];

    public static RequestLabels Of(HttpRequest request, ResourcePath path)
    {
        var scope = path.Name is not null || request.Method == HttpMethods.Post ? "resource"
            : path.Namespace is not null ? "namespace"
            : "cluster";
        var verb = path.Subresource is { } sub && ConnectSubresources.Contains(sub) ? "CONNECT" : request.Method switch
        {
            "GET" or "HEAD" when scope != "resource" => request.Query["watch"].ToString() is "true" or "1" ? "WATCH" : "LIST",
            "DELETE" when scope != "resource" => "DELETECOLLECTION",
            "PATCH" when request.ContentType?.StartsWith("application/apply-patch", StringComparison.Ordinal) == true => "APPLY",
            "HEAD" => "GET",
            var method => method,
        };
        return new RequestLabels(
            verb, DryRunOf(request), path.Served.Group, path.Served.Version, path.Served.Plural, path.Subresource ?? "", scope);
    }

    /// <summary>A request outside the resource API, or null for a path kube-apiserver does not serve either.</summary>
    public static RequestLabels? OfNonResource(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var end = path.IndexOf('/', 1);
        var first = end < 0 ? path : path[..end];
        return NonResourceRoots.TryGetValue(first, out var root)
            ? new RequestLabels(request.Method == HttpMethods.Head ? "GET" : request.Method, "", "", "", "", root, "")
            : null;
    }

    public (string Name, string Value)[] Pairs(string component) =>
    [
        ("component", component), ("dry_run", DryRun), ("group", Group), ("resource", Resource),
        ("scope", Scope), ("subresource", Subresource), ("verb", Verb), ("version", Version),
    ];

    // The roots are interned here, so that a request's labels allocate no string of their own.
    private static readonly Dictionary<string, string> NonResourceRoots =
        new[] { "/api", "/apis", "/healthz", "/livez", "/readyz", "/version", "/openapi", "/metrics", "/gantry" }.ToDictionary(r => r, StringComparer.Ordinal);

    private static string DryRunOf(HttpRequest request) => request.Query["dryRun"].Count > 0 ? "All" : "";
}
