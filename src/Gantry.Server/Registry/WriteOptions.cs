namespace Gantry.Server.Registry;

/// <summary>The query parameters every write carries: dryRun, fieldManager, fieldValidation.</summary>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null, FieldValidation FieldValidation = FieldValidation.Strict)
{
    public static WriteOptions Default { get; } = new();

    /// <summary>Warnings for the response's <c>Warning</c> headers (unknown fields under Warn).</summary>
    public List<string> Warnings { get; } = [];
}
