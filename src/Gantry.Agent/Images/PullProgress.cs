namespace Gantry.Agent.Images;

/// <summary>One report about one layer of a pull, for `gantry image pull` to draw.</summary>
/// <param name="Layer">The first 12 hex digits of the layer blob's digest, as docker shows it.</param>
/// <param name="State">What is happening to it.</param>
/// <param name="Current">Bytes received so far.</param>
/// <param name="Total">Its size from the manifest; -1 when unknown.</param>
public sealed record PullProgress(string Layer, LayerPullState State, long Current, long Total);
