namespace Gantry.Server.Controllers.Volumes;

/// <summary>A finalizer list with one finalizer added or removed (null when none is left, as an unset list).</summary>
internal static class FinalizerList
{
    public static IList<string>? With(IList<string>? finalizers, string finalizer, ProtectionFinalizers.Change change)
    {
        var list = new List<string>(finalizers ?? []);
        if (change == ProtectionFinalizers.Change.Add && !list.Contains(finalizer))
        {
            list.Add(finalizer);
        }
        else if (change == ProtectionFinalizers.Change.Remove)
        {
            list.RemoveAll(f => f == finalizer);
        }

        return list.Count == 0 ? null : list;
    }
}
