using System.Text;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Monitoring;

/// <summary>
/// <c>GET /metrics</c>: the API server's metrics in Prometheus' text format, as kube-apiserver serves them to a
/// scraper or to <c>kubectl get --raw /metrics</c>: its requests (<see cref="RequestMetrics"/>), the objects stored
/// per resource, and its process.
/// </summary>
public sealed class MetricsEndpoint(RequestMetrics requests, WatchCache cache, CustomResourceTypes customTypes, RequestAuthorizer authorizer)
{
    public static bool Matches(string[] segments) => segments is ["metrics"];

    public async Task HandleAsync(HttpContext context)
    {
        authorizer.AuthorizeNonResource(context);
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var text = new PrometheusText();
        requests.WriteTo(text);
        WriteStoredObjects(text);
        ProcessMetrics.WriteTo(text);
        await HttpResponses.WriteBytesAsync(context, 200, Encoding.UTF8.GetBytes(text.ToString()), PrometheusText.ContentType).ConfigureAwait(false);
    }

    private void WriteStoredObjects(PrometheusText text)
    {
        text.Family("apiserver_storage_objects", "gauge", "[STABLE] Number of stored objects at the time of last check split by kind.");
        // A resource served in more than one version is stored once.
        foreach (var type in ResourceCatalog.Types.Concat(customTypes.Current.StoredTypes).DistinctBy(t => t.KeyPrefix).OrderBy(t => t.QualifiedPlural, StringComparer.Ordinal))
        {
            text.Sample("apiserver_storage_objects", [("resource", type.QualifiedPlural)], cache.Count(type.KeyPrefix));
        }
    }
}
