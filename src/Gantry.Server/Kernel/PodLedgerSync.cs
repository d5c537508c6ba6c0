using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Kernel;

/// <summary>
/// Keeps the ledger equal to what the API objects say: every Node's allocatable, and every pod on a
/// node that has not finished, under its framework (<see cref="PodFramework"/>). That is how the ledger is
/// rebuilt when the server starts, and how it learns of pods placed by naming a node directly.
/// </summary>
public sealed class PodLedgerSync
{
    private readonly ResourceLedger _ledger;
    private readonly AllocationLoop _loop;
    private readonly string _frameworkId;

    public PodLedgerSync(SharedInformers informers, ResourceLedger ledger, AllocationLoop loop, string frameworkId)
    {
        _ledger = ledger;
        _loop = loop;
        _frameworkId = frameworkId;
        informers.For<V1Node>().OnChange(OnNode);
        informers.For<V1Pod>().OnChange(OnPod);
    }

    /// <summary>Whether a pod holds resources on its node: bound and not finished.</summary>
    public static bool Holds(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Spec.NodeName) && pod.Status?.Phase is not ("Succeeded" or "Failed");

    private void OnNode(V1Node? old, V1Node? current)
    {
        if (current is null)
        {
            _ledger.RemoveNode(old!.Metadata.Name);
        }
        else
        {
            _ledger.SetNode(current.Metadata.Name, ResourceVector.From(current.Status?.Allocatable));
        }

        _loop.Trigger();
    }

    private void OnPod(V1Pod? old, V1Pod? current)
    {
        // A pod relabelled to or from an external framework is held under another id from now on.
        if (old is not null && current is not null && PodFramework.AllocationId(old) is var before && before != PodFramework.AllocationId(current)
            && _ledger.Release(before) is not null)
        {
            _loop.Trigger();
        }

        if (current is not null && Holds(current))
        {
            var framework = PodFramework.ExternalFrameworkOf(current) ?? _frameworkId;
            _ledger.Record(new Allocation(PodFramework.AllocationId(current), current.Spec.NodeName, framework, PodRequests.Of(current)));
        }
        else if ((old ?? current) is { } gone && _ledger.Release(PodFramework.AllocationId(gone)) is not null)
        {
            _loop.Trigger();
        }
    }
}
