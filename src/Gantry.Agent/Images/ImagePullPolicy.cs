namespace Gantry.Agent.Images;

/// <summary>
/// A container's imagePullPolicy and its defaulting, exactly as the API server defaults it: Always
/// for ":latest" or no tag, IfNotPresent otherwise (a digest-only reference has no tag).
/// </summary>
public static class ImagePullPolicy
{
    public const string Always = "Always";
    public const string IfNotPresent = "IfNotPresent";
    public const string Never = "Never";

    /// <summary><paramref name="policy"/> when set, else the default for <paramref name="image"/>.</summary>
    /// <exception cref="ArgumentException">The policy is not one of the three.</exception>
    public static string Resolve(string? policy, string image) => policy switch
    {
        null or "" => Tag(image) == "latest" ? Always : IfNotPresent,
        Always or IfNotPresent or Never => policy,
        _ => throw new ArgumentException($"unsupported imagePullPolicy \"{policy}\": must be Always, IfNotPresent or Never", nameof(policy)),
    };

    private static string Tag(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            var beforeDigest = image[..image.IndexOf('@', StringComparison.Ordinal)];
            var lastSlash = beforeDigest.LastIndexOf('/');
            var colon = beforeDigest.IndexOf(':', lastSlash + 1);
            return colon < 0 ? string.Empty : beforeDigest[(colon + 1)..];
        }

        var slash = image.LastIndexOf('/');
        var tagColon = image.IndexOf(':', slash + 1);
        return tagColon < 0 ? "latest" : image[(tagColon + 1)..];
    }
}
