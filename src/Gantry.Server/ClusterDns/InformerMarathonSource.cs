using System.Net;
using Gantry.Server.Informers;
using Gantry.Server.Marathon;
using k8s.Models;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The Marathon zone's view of the apps' tasks: the pods of the <c>marathon</c> namespace indexed by their app's
/// Mesos-DNS name as they change, with the address of each that is running and ready.
/// </summary>
public sealed class InformerMarathonSource : IMarathonDnsSource
{
    private readonly Dictionary<string, Dictionary<string, IPAddress?>> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Asks for its informer: build it before the informers start.</summary>
    public InformerMarathonSource(SharedInformers informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        informers.For<V1Pod>().OnChange(OnPod);
    }

    public IReadOnlyList<IPAddress>? TaskAddresses(string appLabel)
    {
        lock (_gate)
        {
            return _tasks.TryGetValue(appLabel, out var tasks) ? [.. tasks.Values.OfType<IPAddress>()] : null;
        }
    }

    private void OnPod(V1Pod? old, V1Pod? current)
    {
        var pod = current ?? old!;
        if (pod.Metadata.NamespaceProperty != AppDeployments.Namespace
            || pod.Metadata.Annotations?.TryGetValue(AppDeployments.AppIdAnnotation, out var appId) != true || appId is null)
        {
            return;
        }

        var label = MarathonZone.AppLabel(appId);
        lock (_gate)
        {
            if (current is null)
            {
                if (_tasks.TryGetValue(label, out var tasks) && tasks.Remove(pod.Metadata.Name) && tasks.Count == 0)
                {
                    _tasks.Remove(label);
                }

                return;
            }

            if (!_tasks.TryGetValue(label, out var byPod))
            {
                byPod = new Dictionary<string, IPAddress?>(StringComparer.Ordinal);
                _tasks[label] = byPod;
            }

            byPod[pod.Metadata.Name] = Serves(current) && IPAddress.TryParse(current.Status.PodIP, out var ip) ? ip : null;
        }
    }

    private static bool Serves(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase == "Running"
        && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
