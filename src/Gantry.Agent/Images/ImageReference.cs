namespace Gantry.Agent.Images;

/// <summary>
/// Image names as Docker and Kubernetes understand them: "busybox" means
/// "docker.io/library/busybox:latest". Images are stored and found under the normalized name so a
/// pod's "busybox" finds what "docker save busybox" exported as "busybox:latest".
/// </summary>
public static class ImageReference
{
    public const string DefaultDomain = "docker.io";

    public static string Normalize(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var name = reference.Trim();
        string? digest = null;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = name[at..];
            name = name[..at];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : name[..slash];
        var hasDomain = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        if (!hasDomain)
        {
            name = $"{DefaultDomain}/{name}";
        }
        else if (first == "index.docker.io")
        {
            name = DefaultDomain + name[first.Length..];
        }

        var path = name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..];
        if (name.StartsWith(DefaultDomain + "/", StringComparison.Ordinal) && !path.Contains('/', StringComparison.Ordinal))
        {
            name = $"{DefaultDomain}/library/{path}";
        }

        var lastSegment = name[(name.LastIndexOf('/') + 1)..];
        if (digest is null && !lastSegment.Contains(':', StringComparison.Ordinal))
        {
            name += ":latest";
        }

        return name + (digest ?? string.Empty);
    }
}
