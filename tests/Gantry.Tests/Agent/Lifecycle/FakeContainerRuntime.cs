using System.Text;
using Gantry.Agent.Runtimes;

namespace Gantry.Tests.Agent.Lifecycle;

/// <summary>
/// A runtime that runs nothing: each exec "runs" at once, exiting with <see cref="ExecExitCode"/> after writing
/// <see cref="ExecOutput"/>; what was asked of it is kept in <see cref="Calls"/>, in order.
/// </summary>
internal sealed class FakeContainerRuntime : IContainerRuntime
{
    public static readonly ContainerHandle Handle = new("c0ffee", "fake", "u1", "web", "team", "app", DateTimeOffset.UnixEpoch);

    public List<string> Calls { get; } = [];

    public int ExecExitCode { get; set; }

    public string ExecOutput { get; set; } = "";

    /// <summary>When set, exec is refused with this message, as by a container that has exited.</summary>
    public string? ExecRefusal { get; set; }

    public TimeSpan? StoppedWithin { get; private set; }

    public string Name => "fake";

    public Task<IExecSession> ExecAsync(ContainerHandle handle, ExecRequest request, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add("exec " + string.Join(' ', request.Command));
        }

        return ExecRefusal is { } refusal
            ? Task.FromException<IExecSession>(new InvalidOperationException(refusal))
            : Task.FromResult<IExecSession>(new Session(ExecOutput, ExecExitCode));
    }

    public Task StopAsync(ContainerHandle handle, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add("stop");
        }

        StoppedWithin = gracePeriod;
        return Task.CompletedTask;
    }

    public Task<ContainerHandle> StartAsync(PodSandboxInfo pod, ContainerSpec container, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerStatus> StatusAsync(ContainerHandle handle, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IDisposable WatchExit(ContainerHandle handle, Action exited) => throw new NotSupportedException();

    public StdinAttachment? OpenStdin(ContainerHandle handle) => throw new NotSupportedException();

    public ContainerTerminal? OpenTerminal(ContainerHandle handle) => throw new NotSupportedException();

    public string LogPath(ContainerHandle handle) => throw new NotSupportedException();

    public Task RemoveAsync(ContainerHandle handle, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ContainerHandle>> AdoptAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    private sealed class Session(string output, int exitCode) : IExecSession
    {
        public Stream Stdin { get; } = new MemoryStream();

        public Stream Stdout { get; } = new MemoryStream(Encoding.UTF8.GetBytes(output));

        public Stream Stderr { get; } = new MemoryStream();

        public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => Task.FromResult(exitCode);

        public void Resize(ushort columns, ushort rows)
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
