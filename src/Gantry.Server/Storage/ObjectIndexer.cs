namespace Gantry.Server.Storage;

/// <summary>
/// Turns a stored value into a <see cref="CachedObject"/> (labels and selectable fields); <paramref name="previous"/>,
/// the version it replaces, lends what did not change.
/// </summary>
public delegate CachedObject ObjectIndexer(string key, byte[] json, long createRevision, long modRevision, CachedObject? previous);
