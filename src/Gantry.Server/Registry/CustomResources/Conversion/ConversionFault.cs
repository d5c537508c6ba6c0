namespace Gantry.Server.Registry.CustomResources.Conversion;

/// <summary>What is wrong with a converted object, as kube's converter tells the cases apart in its errors.</summary>
public enum ConversionFault
{
    /// <summary>Not an object at all.</summary>
    NotAnObject,

    /// <summary>Of another version or kind.</summary>
    TypeMeta,

    /// <summary>Another object: its name, namespace or uid changed.</summary>
    Identity,

    /// <summary>Its metadata, labels or annotations are malformed or invalid.</summary>
    Metadata,
}
