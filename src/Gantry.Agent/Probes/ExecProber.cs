using System.Text;
using Gantry.Agent.Runtimes;

namespace Gantry.Agent.Probes;

/// <summary>
/// An exec probe: the command runs inside the container through its runtime; exit 0 is healthy,
/// anything else a failure whose output (stdout and stderr, at most 10 KiB) goes into the event.
/// A command still running at the timeout is killed and the probe fails, as with kubelet's
/// ExecProbeTimeout. A container that refuses the exec is a probe error, not a failure.
/// </summary>
public static class ExecProber
{
    private const int MaxOutputLength = 10 * 1024;

    public static async Task<ProbeOutcome> ProbeAsync(
        IContainerRuntime runtime, ContainerHandle handle, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(command);
        IExecSession session;
        try
        {
            session = await runtime.ExecAsync(handle, new ExecRequest(command), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ProbeOutcome.Errored(ex.Message);
        }

        await using (session.ConfigureAwait(false))
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var output = new OutputBuffer(MaxOutputLength);
            var stdout = output.PumpAsync(session.Stdout, deadline.Token);
            var stderr = output.PumpAsync(session.Stderr, deadline.Token);
            try
            {
                session.Stdin.Close();
                var exitCode = await session.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
                return new ProbeOutcome(exitCode == 0 ? ProbeResult.Success : ProbeResult.Failure, output.Text);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ProbeOutcome(ProbeResult.Failure, $"command \"{string.Join(' ', command)}\" timed out");
            }
        }
    }

    /// <summary>stdout and stderr interleaved as they arrive, keeping the first bytes up to a limit.</summary>
    private sealed class OutputBuffer(int limit)
    {
        private readonly byte[] _bytes = new byte[limit];
        private readonly Lock _gate = new();
        private int _length;

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return Encoding.UTF8.GetString(_bytes, 0, _length);
                }
            }
        }

        /// <summary>Copies until end of stream, or until the deadline or the kill of the command ends it.</summary>
        public async Task PumpAsync(Stream stream, CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    lock (_gate)
                    {
                        var kept = Math.Min(read, limit - _length);
                        buffer.AsSpan(0, kept).CopyTo(_bytes.AsSpan(_length));
                        _length += kept;
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }
    }
}
