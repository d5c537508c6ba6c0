using System.Collections.Frozen;

namespace Gantry.Core.Patching;

/// <summary>
/// What the patch algorithms need to know about one node of a Kubernetes type: the schemas of
/// its fields and, for a list, how strategic merge patch (<c>patchStrategy</c>,
/// <c>patchMergeKey</c>) and server-side apply (<c>listType</c>, <c>listMapKey</c>) merge it.
/// For a list, <see cref="Field"/> describes the fields of its elements. Anything the schema does
/// not describe is a plain map or an atomic list, which is the safe default: lists are replaced.
/// </summary>
public sealed class PatchSchema
{
    private static readonly FrozenDictionary<string, PatchSchema> NoFields = FrozenDictionary<string, PatchSchema>.Empty;
    private static readonly FrozenDictionary<string, string> NoDefaults = FrozenDictionary<string, string>.Empty;

    private readonly FrozenDictionary<string, PatchSchema> fields;

    private PatchSchema(
        FrozenDictionary<string, PatchSchema> fields,
        bool mergeList,
        string? patchMergeKey,
        ListType listType,
        IReadOnlyList<string> listMapKeys,
        FrozenDictionary<string, string> listMapKeyDefaults,
        bool hasStatusSubresource = false,
        IReadOnlyList<string>? statusKeptMetadata = null)
    {
        this.fields = fields;
        MergeList = mergeList;
        PatchMergeKey = patchMergeKey;
        ListType = listType;
        ListMapKeys = listMapKeys;
        ListMapKeyDefaults = listMapKeyDefaults;
        HasStatusSubresource = hasStatusSubresource;
        StatusKeptMetadata = statusKeptMetadata ?? [];
    }

    /// <summary>A schema that describes nothing: maps merge, lists are replaced.</summary>
    public static PatchSchema Empty { get; } = new(NoFields, false, null, ListType.Atomic, [], NoDefaults);

    /// <summary>Strategic merge patch merges this list (<c>patchStrategy:"merge"</c>) instead of replacing it.</summary>
    public bool MergeList { get; }

    /// <summary>The <c>patchMergeKey</c> that matches elements of a merged list; null for a list of scalars.</summary>
    public string? PatchMergeKey { get; }

    /// <summary>How server-side apply owns and merges this list.</summary>
    public ListType ListType { get; }

    /// <summary>For a <see cref="ListType.Map"/> list, the fields that together identify an element.</summary>
    public IReadOnlyList<string> ListMapKeys { get; }

    /// <summary>Values the API server defaults a missing key field to, e.g. a port's <c>protocol</c> to <c>TCP</c>.</summary>
    public IReadOnlyDictionary<string, string> ListMapKeyDefaults { get; }

    /// <summary>
    /// For a kind, whether its <c>status</c> belongs to the <c>/status</c> subresource, so that
    /// writes to the main resource, server-side apply included, leave it alone.
    /// </summary>
    public bool HasStatusSubresource { get; }

    /// <summary>
    /// For a kind with a status subresource, the metadata members a write to <c>/status</c> keeps as stored, beside the
    /// spec: kube's status strategies reset them (<c>GetResetFields</c>), e.g. a pod's <c>ownerReferences</c>.
    /// </summary>
    public IReadOnlyList<string> StatusKeptMetadata { get; }

    /// <summary>The schema of field <paramref name="name"/> (of each element, for a list); <see cref="Empty"/> when undescribed.</summary>
    public PatchSchema Field(string name) => fields.GetValueOrDefault(name) ?? Empty;

    /// <summary>
    /// The schema of a built-in kind, e.g. <c>("apps/v1", "Deployment")</c>; <see cref="Empty"/> for
    /// a kind Gantry does not know, which makes strategic merge patch replace every list.
    /// </summary>
    public static PatchSchema ForKind(string apiVersion, string kind) => BuiltInSchemas.ForKind(apiVersion, kind);

    /// <summary>The schema of a built-in kind by its API group (<c>""</c> for the core group).</summary>
    public static PatchSchema ForGroupKind(string group, string kind) => BuiltInSchemas.ForGroupKind(group, kind);

    /// <summary>An object with the given described fields.</summary>
    internal static PatchSchema Struct(params (string Name, PatchSchema Schema)[] fields) =>
        new(fields.ToFrozenDictionary(f => f.Name, f => f.Schema), false, null, ListType.Atomic, [], NoDefaults);

    /// <summary>
    /// This object schema, for a kind whose status is written through <c>/status</c>, which keeps the spec and
    /// <paramref name="keptMetadata"/> as stored.
    /// </summary>
    internal PatchSchema WithStatusSubresource(params string[] keptMetadata) =>
        new(fields, MergeList, PatchMergeKey, ListType, ListMapKeys, ListMapKeyDefaults.ToFrozenDictionary(), true, keptMetadata);

    /// <summary>
    /// A list of objects both patch mechanisms merge element by element: strategic merge patch
    /// matches on <paramref name="mergeKey"/>, server-side apply on <paramref name="mapKeys"/>
    /// (default: the merge key alone).
    /// </summary>
    internal static PatchSchema KeyedList(
        string mergeKey,
        PatchSchema? element = null,
        string[]? mapKeys = null,
        (string Key, string Value)[]? keyDefaults = null) =>
        new(
            element?.fields ?? NoFields,
            true,
            mergeKey,
            ListType.Map,
            mapKeys ?? [mergeKey],
            keyDefaults?.ToFrozenDictionary(d => d.Key, d => d.Value) ?? NoDefaults);

    /// <summary>
    /// A list strategic merge patch merges by <paramref name="mergeKey"/> but server-side apply
    /// treats as atomic (<c>patchStrategy:"merge"</c> with <c>+listType=atomic</c>).
    /// </summary>
    internal static PatchSchema MergeOnlyList(string mergeKey) =>
        new(NoFields, true, mergeKey, ListType.Atomic, [], NoDefaults);

    /// <summary>A list of scalars both mechanisms treat as a set (<c>patchStrategy:"merge"</c>, <c>+listType=set</c>).</summary>
    internal static PatchSchema ScalarSet() => new(NoFields, true, null, ListType.Set, [], NoDefaults);
}
