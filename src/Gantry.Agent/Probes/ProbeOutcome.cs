namespace Gantry.Agent.Probes;

/// <summary>
/// One run of a probe handler: its result and the output kubelet puts in events (the command's
/// output, the response body or the failure message). <paramref name="Error"/> is set when the
/// probe could not be run at all (a port name the container does not declare, a container that
/// refuses exec); kubelet retries such a probe and, if it keeps erroring, throws the result away.
/// </summary>
public sealed record ProbeOutcome(ProbeResult Result, string Output, string? Error = null)
{
    public static ProbeOutcome Errored(string error) => new(ProbeResult.Unknown, "", error);
}
