namespace Gantry.Server.Storage;

/// <summary>Turns a stored value into a <see cref="CachedObject"/> (labels and selectable fields).</summary>
public delegate CachedObject ObjectIndexer(string key, byte[] json, long createRevision, long modRevision);
