using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Discovery;

/// <summary>
/// The body of <c>GET /version</c> (<c>application/json</c>). kubectl compares <see cref="Major"/> and
/// <see cref="Minor"/> with its own version and warns beyond one minor version of skew; nothing else
/// depends on them.
/// </summary>
public static class ServerVersion
{
    public const string Major = "1";

    public const string Minor = "32";

    /// <summary>Semantic version with build metadata, as distributions such as k3s report it.</summary>
    public const string GitVersion = "v1.32.0+gantry";

    public static byte[] Json { get; } = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "",
        ["goVersion"] = RuntimeInformation.FrameworkDescription,
        ["compiler"] = "dotnet",
        ["platform"] = $"linux/{GoArch(RuntimeInformation.OSArchitecture)}",
    });

    private static string GoArch(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        _ => architecture.ToString().ToLowerInvariant(),
    };
}
