namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// The OpenAPI v3 document of one group version. <see cref="Path"/> is its key in the index
/// (<c>api/v1</c>, <c>apis/apps/v1</c>); <see cref="Hash"/> changes whenever <see cref="Body"/> does.
/// </summary>
public sealed record OpenApiV3Document(string Path, byte[] Body, string Hash)
{
    /// <summary>The address the index announces: <c>/openapi/v3/{Path}?hash={Hash}</c>.</summary>
    public string ServerRelativeUrl => $"/openapi/v3/{Path}?hash={Hash}";
}
