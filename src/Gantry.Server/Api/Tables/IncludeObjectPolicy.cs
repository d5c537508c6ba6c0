namespace Gantry.Server.Api.Tables;

/// <summary>What each table row carries in <c>object</c>: the <c>includeObject</c> query parameter.</summary>
public enum IncludeObjectPolicy
{
    /// <summary>No object.</summary>
    None,

    /// <summary>The object's metadata as a <c>PartialObjectMetadata</c>; the default.</summary>
    Metadata,

    /// <summary>The whole object (kubectl asks for it with <c>--sort-by</c>).</summary>
    Object,
}
