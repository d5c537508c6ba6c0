using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>Whether a pod's tolerations tolerate a taint, by the rules of core/v1 Toleration.</summary>
public static class Tolerations
{
    public static bool Tolerate(IList<V1Toleration>? tolerations, V1Taint taint)
    {
        if (tolerations is null)
        {
            return false;
        }

        foreach (var toleration in tolerations)
        {
            if (Tolerates(toleration, taint))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => !string.IsNullOrEmpty(toleration.Key) && (toleration.Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }
}
