namespace Gantry.Server.Api.Discovery;

/// <summary>
/// The discovery endpoints as the HTTP layer serves them: each method returns the body and the exact
/// Content-Type to send, or null for 404. The <c>?timeout=</c> query kubectl adds is to be ignored.
/// </summary>
public static class DiscoveryResponses
{
    /// <summary><c>GET /api</c>: aggregated or <c>APIVersions</c>, by <paramref name="accept"/>. Send <c>Vary: Accept</c>.</summary>
    public static DiscoveryDocument Api(string? accept, string serverAddress)
    {
        var format = DiscoveryNegotiation.Choose(accept);
        var body = format == DiscoveryFormat.Legacy
            ? LegacyDiscovery.ApiVersions(serverAddress)
            : AggregatedDiscovery.ForApi(format);
        return new DiscoveryDocument(body, DiscoveryNegotiation.ContentTypeOf(format));
    }

    /// <summary><c>GET /apis</c>: aggregated or <c>APIGroupList</c>, by <paramref name="accept"/>. Send <c>Vary: Accept</c>.</summary>
    public static DiscoveryDocument Apis(string? accept, DiscoveryCatalog? catalog = null)
    {
        var format = DiscoveryNegotiation.Choose(accept);
        var body = format == DiscoveryFormat.Legacy
            ? LegacyDiscovery.ApiGroupList(catalog)
            : AggregatedDiscovery.ForApis(format, catalog);
        return new DiscoveryDocument(body, DiscoveryNegotiation.ContentTypeOf(format));
    }

    /// <summary><c>GET /apis/{group}</c>.</summary>
    public static DiscoveryDocument? Group(string group, DiscoveryCatalog? catalog = null) => Json(LegacyDiscovery.ApiGroup(group, catalog));

    /// <summary><c>GET /api/{version}</c> (with group "") or <c>GET /apis/{group}/{version}</c>.</summary>
    public static DiscoveryDocument? GroupVersion(string group, string version, DiscoveryCatalog? catalog = null) =>
        Json(LegacyDiscovery.ApiResourceList(group, version, catalog));

    /// <summary><c>GET /version</c>.</summary>
    public static DiscoveryDocument Version() => new(ServerVersion.Json, DiscoveryNegotiation.JsonContentType);

    private static DiscoveryDocument? Json(byte[]? body) =>
        body is null ? null : new DiscoveryDocument(body, DiscoveryNegotiation.JsonContentType);
}
