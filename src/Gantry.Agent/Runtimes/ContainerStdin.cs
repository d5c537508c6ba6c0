using Gantry.Agent.Cgroups;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// The standard input of a container started with <c>stdin: true</c>, which <c>kubectl attach -i</c>
/// writes to. It is a FIFO in the container's checkpoint directory: the workload reads it, and the
/// shim holds it open for writing too, so the workload sees no end-of-file between attaches nor
/// when the agent dies. With <c>stdinOnce</c> the first attach takes the shim's place as the only
/// writer (the shim lets go on SIGUSR1), so the workload sees end-of-file when that attach ends,
/// as the kubelet closes stdin after the first attach session.
/// </summary>
internal static class ContainerStdin
{
    private const int SigUsr1 = 10;

    /// <summary>Creates the FIFO (and, for <paramref name="once"/>, the claim a first attach takes) before the shim starts.</summary>
    public static void Create(ContainerDirectory directory, bool once)
    {
        Fifo.Create(directory.StdinFifo);
        if (once)
        {
            File.WriteAllText(directory.StdinOnceFile, string.Empty);
        }
    }

    /// <summary>
    /// Opens the running container's stdin for writing; null when it has none, has exited, or (stdinOnce)
    /// an earlier attach already had it.
    /// </summary>
    public static StdinAttachment? Open(ContainerDirectory directory)
    {
        if (!File.Exists(directory.StdinFifo) || directory.HasExited || directory.ReadStarted() is not { } started ||
            !ProcStat.IsAlive(started.ShimPid, started.ShimStartTime))
        {
            return null;
        }

        var once = File.Exists(directory.StdinOnceFile);
        if (once && !TryClaim(directory))
        {
            return null;
        }

        var writer = Fifo.OpenWriter(directory.StdinFifo);
        if (writer is not null && once && ProcStat.IsAlive(started.ShimPid, started.ShimStartTime))
        {
            // Only now, with this writer open: the workload must not see end-of-file in between.
            ProcessSignals.Send(started.ShimPid, SigUsr1);
        }

        return writer is null ? null : new StdinAttachment(writer, once);
    }

    /// <summary>The rename succeeds for exactly one caller, whichever agent it runs in.</summary>
    private static bool TryClaim(ContainerDirectory directory)
    {
        try
        {
            File.Move(directory.StdinOnceFile, directory.StdinOnceFile + ".claimed");
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
