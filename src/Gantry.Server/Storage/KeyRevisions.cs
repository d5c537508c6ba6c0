namespace Gantry.Server.Storage;

/// <summary>What the writer needs to check a compare-and-swap without reading the database.</summary>
internal readonly record struct KeyRevisions(long CreateRevision, long ModRevision);
