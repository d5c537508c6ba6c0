namespace Gantry.Agent.Images;

/// <summary>The outcome of a pull.</summary>
/// <param name="Image">The image now in the store under <paramref name="Name"/>.</param>
/// <param name="Name">The normalized reference pulled ("127.0.0.1:5000/test/busybox:1").</param>
/// <param name="Digest">The digest of the manifest (or index) the reference resolved to.</param>
/// <param name="UpToDate">True when the store already held exactly this image under this name.</param>
public sealed record PullResult(ImageRecord Image, string Name, string Digest, bool UpToDate);
