namespace Gantry.E2E.Harness;

/// <summary>How to run one kubectl command: input, extra environment and a deadline.</summary>
public sealed record KubectlOptions
{
    /// <summary>Text written to kubectl's stdin (then closed); null for none.</summary>
    public string? Stdin { get; init; }

    /// <summary>Extra environment variables (null value = remove the variable).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>The process is killed (and the result marked timed out) after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
