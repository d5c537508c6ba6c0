namespace Gantry.Server.Scheduling;

/// <summary>
/// How many pods an affinity term selects in each topology domain: the sum of one or more count maps,
/// so a term over several namespaces reads the index's live per-namespace counts without copying them.
/// </summary>
public sealed class DomainCounts(IReadOnlyList<DomainTally> maps)
{
    /// <summary>The selected pods in the domain with id <paramref name="id"/> in the index the tallies belong to.</summary>
    public int At(int id)
    {
        var total = 0;
        for (var i = 0; i < maps.Count; i++)
        {
            total += maps[i].At(id);
        }

        return total;
    }

    /// <summary>The selected pods in <paramref name="domain"/>.</summary>
    public int this[string domain]
    {
        get
        {
            var total = 0;
            for (var i = 0; i < maps.Count; i++)
            {
                total += maps[i].Of(domain);
            }

            return total;
        }
    }

    /// <summary>Whether the term selects a pod in some domain (on some node that has the topology key).</summary>
    public bool Any
    {
        get
        {
            for (var i = 0; i < maps.Count; i++)
            {
                if (maps[i].Count > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
