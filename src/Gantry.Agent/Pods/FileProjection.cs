namespace Gantry.Agent.Pods;

/// <summary>One file of a volume's payload (kubelet's <c>FileProjection</c>): its bytes and its permission bits.</summary>
internal sealed record FileProjection(byte[] Data, UnixFileMode Mode)
{
    /// <summary>The mode a configMap, secret, downwardAPI or projected volume's files get when the pod names none (0644).</summary>
    public const int DefaultMode = 420;

    /// <summary>A mode as the API writes it (an int holding octal permission bits).</summary>
    public static UnixFileMode ModeOf(int? itemMode, int? defaultMode) => (UnixFileMode)(itemMode ?? defaultMode ?? DefaultMode);
}
