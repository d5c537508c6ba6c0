using System.Text.Json.Nodes;

namespace Gantry.Server.Marathon;

/// <summary>
/// Marathon's service ports: a port definition that asks for port 0 gets the lowest port from 10000 that no other app
/// holds, so that each app's ports name it across the cluster.
/// </summary>
public static class ServicePorts
{
    public const int First = 10000;

    /// <summary>Fills the definition's port-0 entries, given the ports the other apps hold.</summary>
    public static void Assign(JsonObject definition, IEnumerable<int> taken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var held = taken.ToHashSet();
        var next = First;
        foreach (var port in definition["portDefinitions"]!.AsArray())
        {
            if (port!["port"]!.GetValue<int>() != 0)
            {
                continue;
            }

            while (!held.Add(next))
            {
                next++;
            }

            port["port"] = next;
        }
    }
}
