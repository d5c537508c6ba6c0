namespace Gantry.Core.Patching;

/// <summary>How server-side apply treats a list (the <c>+listType</c> marker of Kubernetes' types).</summary>
public enum ListType
{
    /// <summary>The list is one value: whoever sets it owns all of it and replaces it whole.</summary>
    Atomic,

    /// <summary>Elements are objects identified by <see cref="PatchSchema.ListMapKeys"/>, owned one by one.</summary>
    Map,

    /// <summary>Elements are distinct scalars, owned one by one.</summary>
    Set,
}
