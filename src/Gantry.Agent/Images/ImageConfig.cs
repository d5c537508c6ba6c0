namespace Gantry.Agent.Images;

/// <summary>
/// What an image says about how to run it (the "config" object of its OCI/Docker config): the
/// runtime merges it with the pod's command, args, env and workingDir.
/// </summary>
public sealed record ImageConfig(
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    string? WorkingDir,
    string? User)
{
    public static ImageConfig Empty { get; } = new([], [], [], null, null);
}
