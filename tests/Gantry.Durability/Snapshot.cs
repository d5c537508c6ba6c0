namespace Gantry.Durability;

/// <summary>Everything the test's namespace held after a restart, read in one consistent list.</summary>
internal sealed record Snapshot(long ListRevision, IReadOnlyDictionary<string, StoredObject> Objects);
