using Gantry.Server.Informers;
using Gantry.Server.Scheduling.Plugins;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The volume binding plugin's PreBind, as kube-scheduler runs it before it binds a pod: each unbound claim of the pod
/// is given the volume chosen for it (the volume's <c>claimRef</c>) or asked to be provisioned on the node (the claim's
/// <c>volume.kubernetes.io/selected-node</c>), and the pod is bound only once the volume controller has bound them all,
/// each to a volume the node can reach.
/// </summary>
public sealed class VolumeBinder
{
    /// <summary>kube-scheduler's default bindTimeoutSeconds.</summary>
    public static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(600);

    private readonly InformerStorageView _storage;
    private readonly InProcessClient _client;
    private TaskCompletionSource _claimsChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public VolumeBinder(InformerStorageView storage, InProcessClient client)
    {
        _storage = storage;
        _client = client;
        _storage.Claims.OnChange((_, _) => Interlocked.Exchange(ref _claimsChanged, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult());
    }

    /// <summary>
    /// Holds the plan's claims to its node, and its volumes to its claims, for the pods scheduled while it binds
    /// (kube's AssumePodVolumes).
    /// </summary>
    public void Assume(IReadOnlyList<ClaimBinding> plan)
    {
        foreach (var binding in plan)
        {
            _storage.Assume(binding);
        }
    }

    /// <summary>Gives up what <see cref="Assume"/> held, for a placement that is not made.</summary>
    public void Forget(IReadOnlyList<ClaimBinding> plan)
    {
        foreach (var binding in plan)
        {
            _storage.Forget(binding);
        }
    }

    /// <summary>Writes the plan and waits until every claim of it is bound; throws when it cannot be, or not in time.</summary>
    public async Task BindAsync(IReadOnlyList<ClaimBinding> plan, NodeInfo node, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var binding in plan)
            {
                await WriteAsync(binding, cancellationToken).ConfigureAwait(false);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(BindTimeout);
            while (true)
            {
                var changed = Volatile.Read(ref _claimsChanged).Task;
                if (plan.All(b => IsBound(b.Claim, node)))
                {
                    return;
                }

                try
                {
                    await changed.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new VolumeBindingException("binding volumes: context deadline exceeded");
                }
            }
        }
        finally
        {
            Forget(plan);
        }
    }

    private async Task WriteAsync(ClaimBinding binding, CancellationToken cancellationToken)
    {
        var claim = binding.Claim;
        if (binding.Volume is { } volume)
        {
            await _client.MutateAsync<V1PersistentVolume>(null, volume.Name(), pv =>
            {
                if (pv.Spec.ClaimRef is { } existing && (existing.Name != claim.Name() || existing.NamespaceProperty != claim.Namespace()))
                {
                    throw new VolumeBindingException($"binding volumes: volume \"{pv.Name()}\" is already bound to another claim");
                }

                pv.Spec.ClaimRef = new V1ObjectReference
                {
                    Kind = "PersistentVolumeClaim", ApiVersion = "v1", NamespaceProperty = claim.Namespace(), Name = claim.Name(),
                    Uid = claim.Uid(), ResourceVersion = claim.ResourceVersion(),
                };
                pv.Metadata.Annotations ??= new Dictionary<string, string>();
                pv.Metadata.Annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _client.MutateAsync<V1PersistentVolumeClaim>(claim.Namespace(), claim.Name(), pvc =>
        {
            pvc.Metadata.Annotations ??= new Dictionary<string, string>();
            if (pvc.Metadata.Annotations.TryGetValue(VolumeBinding.SelectedNode, out var selected) && selected != binding.Node)
            {
                throw new VolumeBindingException($"binding volumes: claim \"{claim.Name()}\" is being provisioned on node \"{selected}\"");
            }

            pvc.Metadata.Annotations[VolumeBinding.SelectedNode] = binding.Node;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// kube's checkBindings: the claim, as the informer holds it now, is fully bound, to a volume the node reaches
    /// (a claim bound meanwhile elsewhere fails the placement rather than leave the pod apart from its data).
    /// </summary>
    private bool IsBound(V1PersistentVolumeClaim claim, NodeInfo node)
    {
        if (_storage.Claim(claim.Namespace(), claim.Name()) is not { } current || current.Uid() != claim.Uid())
        {
            throw new VolumeBindingException($"binding volumes: claim \"{claim.Name()}\" was deleted");
        }

        if (!VolumeBinding.IsFullyBound(current))
        {
            return false;
        }

        if (_storage.Volume(current.Spec.VolumeName) is { } volume && !VolumeBinding.SuitsNode(volume, node))
        {
            throw new VolumeBindingException($"binding volumes: pv \"{volume.Name()}\" node affinity doesn't match node \"{node.Name}\"");
        }

        return true;
    }
}
