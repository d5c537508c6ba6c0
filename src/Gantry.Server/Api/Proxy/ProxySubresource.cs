using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Server.Api.Proxy;

/// <summary>
/// <c>/api/v1/namespaces/{ns}/pods/{name}/proxy/{path}</c> and <c>.../services/{name}/proxy/{path}</c>: the request
/// goes to the pod (<see cref="ProxyTarget"/>) with <c>{path}</c> as it was sent, percent-encoding included;
/// <c>/api/v1/nodes/{name}/proxy/{path}</c> goes to the node's agent (<see cref="NodeProxy"/>).
/// </summary>
public sealed class ProxySubresource(ObjectRegistry registry, ProxyForwarder forwarder, NodeProxy nodes)
{
    public Task HandleAsync(HttpContext context, ResourcePath path)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(path);
        if (path.Type.Plural == "nodes")
        {
            return nodes.ProxyNodeAsync(context, path.Name!, Rest(context, path));
        }

        var backend = ProxyTarget.Resolve(registry, path.Type, path.Namespace, path.Name!);
        return forwarder.ForwardAsync(context, backend, Rest(context, path));
    }

    /// <summary>What follows <c>/{plural}/{name}/proxy</c> in the request target, before its query.</summary>
    internal static string Rest(HttpContext context, ResourcePath path)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query < 0 ? target : target[..query];
        var marker = $"/{path.Type.Plural}/";
        var at = rawPath.IndexOf(marker, StringComparison.Ordinal);
        var proxy = at < 0 ? -1 : rawPath.IndexOf("/proxy", at + marker.Length, StringComparison.Ordinal);
        return proxy < 0 ? "" : rawPath[(proxy + "/proxy".Length)..];
    }
}
