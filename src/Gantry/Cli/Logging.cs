using Microsoft.Extensions.Logging;

namespace Gantry.Cli;

/// <summary>Structured, single-line logs on stderr, so stdout carries only what scripts read.</summary>
public static class Logging
{
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(logging => logging
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        })
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("System.Net.Http", LogLevel.Warning)
        .SetMinimumLevel(LogLevel.Information));
}
