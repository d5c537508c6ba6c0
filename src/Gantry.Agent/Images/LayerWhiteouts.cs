namespace Gantry.Agent.Images;

/// <summary>
/// The deletions a layer makes, kept next to its unpacked directory: overlayfs reads them from the
/// whiteout devices, but a copied rootfs must apply them by hand.
/// </summary>
/// <param name="Deleted">Paths (relative) the layer deletes from the layers below.</param>
/// <param name="Opaque">Directories (relative) whose lower contents the layer hides.</param>
public sealed record LayerWhiteouts(IReadOnlyList<string> Deleted, IReadOnlyList<string> Opaque)
{
    public static LayerWhiteouts None { get; } = new([], []);
}
