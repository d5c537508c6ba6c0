namespace Gantry.Server.Storage;

/// <summary>Which objects a list or watch wants: a key prefix plus an optional predicate on the object.</summary>
public sealed record WatchFilter(string Prefix, Func<CachedObject, bool>? Predicate = null)
{
    public bool Matches(CachedObject obj) =>
        obj.Key.StartsWith(Prefix, StringComparison.Ordinal) && (Predicate is null || Predicate(obj));
}
