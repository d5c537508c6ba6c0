namespace Gantry.Server.Storage;

/// <summary>
/// One object as the watch cache holds it: its stored JSON, untouched, plus what selectors need
/// (labels and the indexed fields), extracted once when the object changed.
/// </summary>
public sealed record CachedObject(
    string Key,
    byte[] Json,
    long CreateRevision,
    long ModRevision,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Fields);
