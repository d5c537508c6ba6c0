using System.IO.Pipelines;
using System.Text;
using Gantry.Agent.Streaming;

namespace Gantry.Tests.Streaming;

/// <summary>A command whose behaviour is a script over in-memory pipes.</summary>
internal sealed class FakeExecProcess : IExecProcess
{
    private readonly Pipe _stdin = new();
    private readonly Pipe _stdout = new();
    private readonly Pipe _stderr = new();
    private readonly SemaphoreSlim _resized = new(0);
    private readonly Task<int> _run;

    public FakeExecProcess(ExecRequest request, Func<FakeExecProcess, Task<int>> script)
    {
        Request = request;
        StandardInput = request.Stdin ? _stdin.Writer.AsStream() : null;
        StandardOutput = request.Stdout ? _stdout.Reader.AsStream() : null;
        StandardError = request.Stderr ? _stderr.Reader.AsStream() : null;
        _run = Task.Run(async () =>
        {
            try
            {
                return await script(this);
            }
            finally
            {
                await _stdout.Writer.CompleteAsync();
                await _stderr.Writer.CompleteAsync();
            }
        });
    }

    /// <summary>The request it was started for, with the terminal size it started at.</summary>
    public ExecRequest Request { get; }

    public Stream? StandardInput { get; }

    public Stream? StandardOutput { get; }

    public Stream? StandardError { get; }

    public List<TerminalSize> Resizes { get; } = [];

    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string> ReadStdinToEndAsync()
    {
        using var reader = new StreamReader(_stdin.Reader.AsStream());
        return await reader.ReadToEndAsync();
    }

    public async Task WriteStdoutAsync(string text) => await _stdout.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteStderrAsync(string text) => await _stderr.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    public Task WaitForResizeAsync() => _resized.WaitAsync();

    /// <summary>Whether the process has been resized to <paramref name="size"/>.</summary>
    public bool WasResizedTo(TerminalSize size)
    {
        lock (Resizes)
        {
            return Resizes.Contains(size);
        }
    }

    public ValueTask ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        lock (Resizes)
        {
            Resizes.Add(size);
        }

        _resized.Release();
        return ValueTask.CompletedTask;
    }

    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _run.WaitAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        Disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
