using System.Text;

namespace Gantry.E2E.Harness;

/// <summary>What one finished command did: its exit status and everything it printed.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Duration)
{
    /// <summary>True when the command ran to completion and exited 0.</summary>
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A note appended to descriptions, e.g. that the server under test has died.</summary>
    public string? Note { get; init; }

    /// <summary>The stdout lines, without trailing empty lines.</summary>
    public IReadOnlyList<string> StdoutLines =>
        Stdout.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    /// <summary>A full, human-readable account for assertion messages.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append("$ ").AppendLine(CommandLine);
        sb.Append("exit: ").Append(TimedOut ? "TIMED OUT (killed)" : ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
          .Append(" after ").Append(Duration.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).AppendLine("s");
        sb.AppendLine("--- stdout ---").AppendLine(Stdout.TrimEnd());
        sb.AppendLine("--- stderr ---").AppendLine(Stderr.TrimEnd());
        if (Note is not null)
        {
            sb.AppendLine("--- note ---").AppendLine(Note);
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
