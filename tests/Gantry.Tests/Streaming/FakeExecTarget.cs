using Gantry.Agent.Streaming;

namespace Gantry.Tests.Streaming;

/// <summary>Starts <see cref="FakeExecProcess"/>es running one script, and remembers them.</summary>
internal sealed class FakeExecTarget(Func<FakeExecProcess, Task<int>> script) : IExecTarget
{
    private readonly TaskCompletionSource<FakeExecProcess> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the process once the session has started it.</summary>
    public Task<FakeExecProcess> Started => _started.Task;

    public ExecRequest? Request { get; private set; }

    public Exception? FailWith { get; init; }

    public Task<IExecProcess> StartAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            throw FailWith;
        }

        Request = request;
        var process = new FakeExecProcess(request, script);
        _started.SetResult(process);
        return Task.FromResult<IExecProcess>(process);
    }
}
