using Microsoft.Extensions.Logging;

namespace Gantry.Tests.Storage;

/// <summary>A fake logger that throws on every entry at or above <paramref name="from"/>: an error where none is expected.</summary>
internal sealed class FailingLogger(LogLevel from) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= from)
        {
            throw new InvalidOperationException($"The logger failed on: {formatter(state, exception)}");
        }
    }
}
