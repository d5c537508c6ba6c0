namespace Gantry.Agent.Images;

/// <summary>A content descriptor from an OCI index or manifest: what a blob is and how to find it.</summary>
internal sealed record OciDescriptor(
    string MediaType,
    string Digest,
    long Size,
    IReadOnlyDictionary<string, string> Annotations,
    string? Os,
    string? Architecture);
