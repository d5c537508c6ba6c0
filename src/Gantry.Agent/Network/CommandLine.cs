namespace Gantry.Agent.Network;

/// <summary>A program and its arguments, kept apart so nothing is ever parsed by a shell.</summary>
internal sealed record CommandLine(string FileName, IReadOnlyList<string> Arguments)
{
    public CommandLine(string fileName, params string[] arguments)
        : this(fileName, (IReadOnlyList<string>)arguments)
    {
    }

    /// <summary>The command as a person would type it, for error messages and logs.</summary>
    public override string ToString() =>
        string.Join(' ', Arguments.Prepend(FileName).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
}
