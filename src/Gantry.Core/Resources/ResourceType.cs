using Gantry.Core.Resources.Conversion;
using Gantry.Core.Resources.CustomResources;

namespace Gantry.Core.Resources;

/// <summary>
/// One served Kubernetes resource: how it is addressed (group, version, plural), what it is
/// (kind, model type) and how kubectl discovers it (short names, categories, subresources).
/// </summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    Type ModelType,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<Subresource> Subresources)
{
    /// <summary><c>v1</c> for the core group, <c>apps/v1</c> otherwise: the <c>apiVersion</c> of objects.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// For a version served beside the one stored (<see cref="ResourceCatalog.ConvertedTypes"/>): how its objects convert
    /// from and to the stored version. Null for a stored type.
    /// </summary>
    public IVersionConversion? Conversion { get; init; }

    /// <summary>
    /// For a version served by conversion from another group's resource (events.k8s.io/v1 Events, stored as core/v1
    /// ones): that group. Null when the stored version is of this type's own group.
    /// </summary>
    public string? StorageGroup { get; init; }

    /// <summary>For a type a CustomResourceDefinition defines: its definition and schema. Null for a built-in type.</summary>
    public ICustomResourceVersion? Custom { get; init; }

    /// <summary>
    /// Where every custom resource is stored, apart from the built-in types: the watch cache keeps one bucket for them
    /// all, since definitions come and go while it runs.
    /// </summary>
    public const string CustomResourceKeyPrefix = "/registry/customresources/";

    /// <summary>The group-qualified plural Kubernetes prints in messages: <c>pods</c>, <c>deployments.apps</c>.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The URL prefix of the group version: <c>/api/v1</c> or <c>/apis/apps/v1</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The kind of its lists: <c>PodList</c>; a CustomResourceDefinition names its own.</summary>
    public string ListKind
    {
        get => field ?? Kind + "List";
        init;
    }

    public bool HasSubresource(string name) => Subresources.Any(s => s.Name == name);

    /// <summary>The storage key prefix for every object of this type (ends with '/').</summary>
    public string KeyPrefix =>
        Custom is not null ? $"{CustomResourceKeyPrefix}{Group}/{Plural}/"
        : Group.Length == 0 ? $"/registry/{Plural}/"
        : $"/registry/{Group}/{Plural}/";

    /// <summary>The storage key of one object; namespace is ignored for cluster-scoped types.</summary>
    public string Key(string? @namespace, string name) =>
        Namespaced ? $"{KeyPrefix}{@namespace}/{name}" : $"{KeyPrefix}{name}";

    /// <summary>The storage key prefix of a namespace's objects, or of all objects when <paramref name="namespace"/> is null.</summary>
    public string NamespacePrefix(string? @namespace) =>
        Namespaced && !string.IsNullOrEmpty(@namespace) ? $"{KeyPrefix}{@namespace}/" : KeyPrefix;
}

/// <summary>A subresource as discovery announces it, e.g. <c>status</c>, <c>scale</c>, <c>log</c>.</summary>
public sealed record Subresource(string Name, string Group, string Version, string Kind, IReadOnlyList<string> Verbs);
