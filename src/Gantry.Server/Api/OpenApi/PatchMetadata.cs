namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// How a strategic merge patch treats one field, as the Go struct tags of the Kubernetes API types say:
/// <paramref name="Strategy"/> is <c>merge</c>, <c>retainKeys</c> or <c>merge,retainKeys</c>;
/// <paramref name="MergeKey"/> identifies list items for <c>merge</c> (null for lists of scalars).
/// </summary>
public sealed record PatchMetadata(string Strategy, string? MergeKey);
