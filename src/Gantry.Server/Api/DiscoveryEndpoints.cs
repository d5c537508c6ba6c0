using Gantry.Server.Api.Discovery;
using Gantry.Server.Api.OpenApi;
using Gantry.Server.Registry.CustomResources;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// The documents clients read before anything else: <c>/version</c>, discovery (legacy and
/// aggregated, chosen by the Accept header) and OpenAPI v2/v3.
/// </summary>
public static class DiscoveryEndpoints
{
    public static async Task<bool> TryHandleAsync(HttpContext context, string[] segments, CustomResourceTypes custom)
    {
        if (context.Request.Method != "GET")
        {
            return false;
        }

        var accept = context.Request.Headers.Accept.ToString();
        DiscoveryDocument? document = segments switch
        {
            ["version"] => DiscoveryResponses.Version(),
            ["api"] => DiscoveryResponses.Api(accept, $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}"),
            ["apis"] => DiscoveryResponses.Apis(accept, DiscoveredTypes.Including(custom.Current)),
            ["api", var version] => DiscoveryResponses.GroupVersion("", version),
            ["apis", var group] => DiscoveryResponses.Group(group, DiscoveredTypes.Including(custom.Current)),
            ["apis", var group, var version] => DiscoveryResponses.GroupVersion(group, version, DiscoveredTypes.Including(custom.Current)),
            ["openapi", "v2"] or ["swagger-2.0.0.pb-v1"] => new DiscoveryDocument(OpenApiV2.Body, OpenApiV2.ContentType),
            ["openapi", "v3"] => new DiscoveryDocument(OpenApiV3.IndexWith(custom.Current), HttpResponses.Json),
            ["openapi", "v3", .. var rest] => OpenApiV3.Find(string.Join('/', rest), custom.Current) is { } doc
                ? new DiscoveryDocument(doc.Body, HttpResponses.Json)
                : throw ApiException.NotFound("the server could not find the requested resource"),
            _ => null,
        };
        if (document is null)
        {
            var handled = segments is ["version"] or ["api"] or ["apis"] or ["api", _] or ["apis", _] or ["apis", _, _];
            if (handled)
            {
                throw ApiException.NotFound("the server could not find the requested resource");
            }

            return false;
        }

        if (segments is ["api"] or ["apis"])
        {
            context.Response.Headers.Vary = "Accept";
        }

        await HttpResponses.WriteBytesAsync(context, 200, document.Body, document.ContentType).ConfigureAwait(false);
        return true;
    }
}
