using System.Runtime.InteropServices;

namespace Gantry.Cli;

/// <summary>SIGINT and SIGTERM cancel the given source instead of killing the process, so shutdown is clean.</summary>
public sealed class Signals : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    private Signals(CancellationTokenSource stop)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    public static Signals StopOn(CancellationTokenSource stop) => new(stop);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}
