using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Kernel;

/// <summary>
/// Keeps the ledger equal to what the API objects say: every Node's allocatable, and every pod on a
/// node that has not finished, under the pod scheduler's framework. That is how the ledger is
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
        if (current is not null && Holds(current))
        {
            _ledger.Record(new Allocation(current.Metadata.Uid, current.Spec.NodeName, _frameworkId, PodRequests.Of(current)));
        }
        else if ((old ?? current) is { } gone && _ledger.Release(gone.Metadata.Uid) is not null)
        {
            _loop.Trigger();
        }
    }
}
