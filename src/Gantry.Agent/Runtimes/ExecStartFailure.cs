using System.Security.Cryptography;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// An exec that could not start, in containerd's words, whichever runtime runs the pod: kubectl shows it as an internal
/// error (exit 1) rather than as the command's output and exit code, as it does against a kubelet on containerd.
/// </summary>
internal static class ExecStartFailure
{
    /// <summary>An exec ID as containerd's CRI plugin makes one: 32 random bytes in hex.</summary>
    public static string NewExecId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <param name="execId">The exec's ID.</param>
    /// <param name="runtimeError">What the OCI runtime said, as runc logs it (<c>exec failed: …</c>).</param>
    public static IOException Of(string execId, string runtimeError) =>
        new($"failed to exec in container: failed to start exec \"{execId}\": OCI runtime exec failed: {runtimeError}: unknown");
}
