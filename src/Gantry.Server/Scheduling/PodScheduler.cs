using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Kernel;
using Gantry.Server.Registry;
using Gantry.Server.Scheduling.Plugins;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The built-in pod scheduler, the kernel's first framework. It takes pending pods in priority
/// order, runs the scheduling framework over the nodes it holds offers for, commits each placement
/// against its offer (the ledger refuses any over-commitment) and binds the pod. A pod that fits
/// nowhere gets <c>PodScheduled=False</c> and a FailedScheduling event in Kubernetes' words, and is
/// tried again when the cluster changes. With nothing pending it gives its offers back.
/// </summary>
public sealed partial class PodScheduler : BackgroundService, IOfferReceiver
{
    public const string SchedulerName = "default-scheduler";
    public static readonly FrameworkInfo Framework = new("gantry-pod-scheduler", SchedulerName, "kubernetes");

    private const int MaxConcurrentBinds = 64;

    /// <summary>
    /// How long the scheduler keeps its offers once nothing waits to be placed, before it gives them back and
    /// suppresses (Mesos' SUPPRESS). Pods created one after another leave the queue empty between them; giving every
    /// node's offer back at each gap, to be offered them all again by the next pod, cost an allocation round over every
    /// node per gap.
    /// </summary>
    private static readonly TimeSpan IdleOfferHold = TimeSpan.FromSeconds(1);

    private readonly SharedInformers _informers;
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<V1Pod> _pods;
    private readonly Allocator _allocator;
    private readonly AllocationLoop _allocation;
    private readonly InProcessClient _client;
    private readonly EventRecorder _events;
    private readonly ILogger<PodScheduler> _logger;
    private readonly TimeProvider _time;
    private readonly SchedulingQueue _queue = new();
    private readonly InformerStorageView _storage;
    private readonly SchedulingFramework _framework;
    private readonly VolumeBinding _volumeBinding;
    private readonly VolumeBinder _volumeBinder;
    private readonly PodsByNode _podsByNode = new();
    private readonly NodeViewCache _views;
    private readonly SemaphoreSlim _binds = new(MaxConcurrentBinds);
    private readonly SemaphoreSlim _wake = new(0);
    private int _woken;
    private long? _idleSince;
    private ITimer? _idleTimer;

    public PodScheduler(
        SharedInformers informers, Allocator allocator, AllocationLoop allocation, InProcessClient client, EventRecorder events,
        ILogger<PodScheduler> logger, TimeProvider time)
    {
        _informers = informers;
        _allocator = allocator;
        _allocation = allocation;
        _client = client;
        _events = events;
        _logger = logger;
        _time = time;
        _nodes = informers.For<V1Node>();
        _nodes.OnChange(OnNode);
        _views = new NodeViewCache(() => _nodes.List(), name => _nodes.Get(null, name), _podsByNode);
        _pods = informers.For<V1Pod>();
        _pods.OnChange(OnPod);
        _storage = new InformerStorageView(informers);
        _framework = SchedulingFramework.Default(_storage);
        _volumeBinding = _framework.Filter<VolumeBinding>()!;
        _volumeBinder = new VolumeBinder(_storage, client);
        _storage.OnChange(RetryUnschedulable);
    }

    /// <summary>
    /// Runs the framework for <paramref name="pod"/> over every node now, examining and scoring all
    /// of them, as <c>gantry explain</c> shows. Free resources come from the ledger (what no one has
    /// committed), with the pod's own allocation, if it is placed, counted as free.
    /// </summary>
    public SchedulingDecision ExplainNow(V1Pod pod)
    {
        var snapshot = _allocator.Ledger.Snapshot();
        var own = _allocator.Ledger.Find(pod.Uid());
        var nodes = _nodes.List().OrderBy(n => n.Name(), StringComparer.Ordinal).Select(node =>
        {
            var free = snapshot.Nodes.TryGetValue(node.Name(), out var account) ? account.Free : ResourceVector.Zero;
            if (own is not null && own.Node == node.Name())
            {
                free = free.Add(own.Resources);
            }

            return new NodeInfo(node, ResourceVector.From(node.Status?.Allocatable), free, [.. _podsByNode.On(node.Name()).Where(p => p.Uid() != pod.Uid())]);
        }).ToList();
        var unbound = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        unbound.Spec.NodeName = null;
        var framework = SchedulingFramework.Default(_storage);
        var info = PodInfo.Of(unbound);
        var decision = framework.Schedule(info, nodes, explain: true);
        // The message shown is the one the pod's FailedScheduling event carries, preemption's part included.
        return decision.Node is null ? decision with { Preemption = Preemption.Attempt(info, decision, nodes, framework).Message } : decision;
    }

    /// <summary>
    /// For an unbound pod of a gang, what <see cref="ScheduleGang"/> would decide now: the gang's waiting members planned
    /// together over the nodes as they are, this pod first; null for a pod of no gang, or one already bound.
    /// </summary>
    public GangExplanation? ExplainGangNow(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (Gang.Of(pod) is not { } gang || !string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            return null;
        }

        var snapshot = _allocator.Ledger.Snapshot();
        var nodes = _nodes.List().OrderBy(n => n.Name(), StringComparer.Ordinal).Select(node => new NodeInfo(
            node,
            ResourceVector.From(node.Status?.Allocatable),
            snapshot.Nodes.TryGetValue(node.Name(), out var account) ? account.Free : ResourceVector.Zero,
            [.. _podsByNode.On(node.Name())])).ToList();
        var waiting = _pods.List(p => gang.Includes(p) && string.IsNullOrEmpty(p.Spec.NodeName) && p.Metadata.DeletionTimestamp is null)
            .OrderBy(p => p.Uid() == pod.Uid() ? 0 : 1)
            .Select(PodInfo.Of)
            .ToList();
        var bound = BoundMembers(gang);
        var plan = GangPlan.Make(gang, waiting, bound, nodes, SchedulingFramework.Default(_storage));
        var node = plan.Placements.FirstOrDefault(p => p.Pod.Pod.Uid() == pod.Uid()).Node;
        return new GangExplanation(gang.Name, gang.Size, waiting.Count + bound, bound, node, plan.Refusal);
    }

    public void OnOffers(IReadOnlyList<Offer> offers) => RetryUnschedulable();

    public void OnRescind(string offerId) => Wake();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _informers.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            _allocator.Register(Framework, this);
            Wake();
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(stoppingToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _woken, 0);
                ScheduleQueued(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void ScheduleQueued(CancellationToken cancellationToken)
    {
        _queue.RetryIfChangeMissed();
        if (_queue.ActiveCount == 0)
        {
            var now = _time.GetTimestamp();
            _idleSince ??= now;
            var left = IdleOfferHold - _time.GetElapsedTime(_idleSince.Value, now);
            if (left > TimeSpan.Zero)
            {
                _idleTimer ??= _time.CreateTimer(_ => Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _idleTimer.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }

            foreach (var offer in _allocator.OutstandingOffers(Framework.Id))
            {
                _allocator.Decline(offer.Id, TimeSpan.Zero);
            }

            _allocator.Suppress(Framework.Id);
            return;
        }

        _idleSince = null;
        _allocator.Revive(Framework.Id);
        _allocator.Allocate();
        var view = CurrentView();
        while (!cancellationToken.IsCancellationRequested && _queue.Pop() is { } pod)
        {
            var key = $"{pod.Namespace()}/{pod.Name()}";
            if (Gang.Of(pod) is { } gang && BoundMembers(gang) < gang.Size)
            {
                if (ScheduleGang(gang, key, view, cancellationToken))
                {
                    view = CurrentView();
                }

                continue;
            }

            var info = PodInfo.Of(pod);
            var nodes = view.Nodes;
            var decision = _framework.Schedule(info, nodes);
            if (decision.Node is not { } node)
            {
                if (_queue.MarkUnschedulable(key, pod))
                {
                    Wake();
                }

                var preemption = Preemption.Attempt(info, decision, nodes, _framework);
                _ = ReportUnschedulableAsync(pod, (decision with { Preemption = preemption.Message }).Message, cancellationToken);
                if (preemption.Plan is { } plan)
                {
                    _ = PreemptAsync(pod, plan, cancellationToken);
                }

                continue;
            }

            var nodeInfo = nodes[nodes.IndexOf(node)];
            if (_volumeBinding.Plan(info, nodeInfo) is not { } claims)
            {
                // A claim the decision counted on was promised to another pod meanwhile: decided again with that known.
                _queue.Upsert(key, pod);
                continue;
            }

            var allocation = new Allocation(pod.Uid(), node, Framework.Id, info.Requests);
            var commit = _allocator.Accept(view.OffersByNode[node], [allocation], keepRemainder: true);
            if (!commit.Succeeded)
            {
                Log.PlacementRefused(_logger, key, node, commit.Reason);
                _queue.Upsert(key, pod);
                _views.NodeChanged(node);
                _views.OffersChanged();
                view = CurrentView();
                continue;
            }

            _volumeBinder.Assume(claims);
            _podsByNode.Assume(pod, node);
            view.Place(node, pod, info.Requests);
            _ = BindAsync(pod, nodeInfo, claims, cancellationToken);
        }
    }

    /// <summary>
    /// Places the gang's waiting members all together, with one all-or-nothing commit, or parks them
    /// all with the reason. Returns whether pods were placed (the node view then changed). <paramref name="poppedKey"/>
    /// is the member the queue handed out: a change while it was tried brings the gang back in the next pass.
    /// </summary>
    private bool ScheduleGang(Gang gang, string poppedKey, NodeView view, CancellationToken cancellationToken)
    {
        var members = _queue.Pending(gang.Includes);
        var plan = GangPlan.Make(gang, [.. members.Select(m => PodInfo.Of(m.Pod))], BoundMembers(gang), view.Nodes, _framework);
        if (plan.Refusal is { } refusal)
        {
            var changeMissed = false;
            foreach (var (memberKey, member) in members)
            {
                if (memberKey == poppedKey)
                {
                    changeMissed = _queue.MarkUnschedulable(memberKey, member);
                }
                else
                {
                    _queue.Park(memberKey, member);
                }

                _ = ReportUnschedulableAsync(member, refusal, cancellationToken);
            }

            if (changeMissed)
            {
                Wake();
            }

            return false;
        }

        if (PlanGangVolumes(plan, view) is not { } volumes)
        {
            // Members counted on one volume: the gang waits for the cluster to change, as for any refusal.
            foreach (var (memberKey, member) in members)
            {
                _queue.Park(memberKey, member);
            }

            return false;
        }

        var acceptances = plan.Placements.GroupBy(p => p.Node, StringComparer.Ordinal)
            .Select(g => new OfferAcceptance(view.OffersByNode[g.Key], [.. g.Select(p => new Allocation(p.Pod.Pod.Uid(), g.Key, Framework.Id, p.Pod.Requests))]))
            .ToList();
        var commit = _allocator.AcceptAll(acceptances, keepRemainder: true);
        if (!commit.Succeeded)
        {
            Log.PlacementRefused(_logger, $"gang {gang.Namespace}/{gang.Name}", commit.Node ?? "", commit.Reason);
            foreach (var claims in volumes)
            {
                _volumeBinder.Forget(claims);
            }

            foreach (var (memberKey, member) in members)
            {
                _queue.Upsert(memberKey, member);
            }

            foreach (var (_, node) in plan.Placements)
            {
                _views.NodeChanged(node);
            }

            _views.OffersChanged();

            return true;
        }

        for (var i = 0; i < plan.Placements.Count; i++)
        {
            var (member, node) = plan.Placements[i];
            _queue.Remove($"{member.Pod.Namespace()}/{member.Pod.Name()}");
            _podsByNode.Assume(member.Pod, node);
            _views.NodeChanged(node);
            _ = BindAsync(member.Pod, view.Nodes[view.Nodes.IndexOf(node)], volumes[i], cancellationToken);
        }

        // The view does not hold the gang's placements: the next one reads what the offers keep after them.
        _views.OffersChanged();
        return true;
    }

    /// <summary>
    /// What each placed member of a gang asks of its claims, assumed member after member so that two members do not count
    /// on one volume; null, with nothing assumed, when a member's claims cannot be served where the plan puts it.
    /// </summary>
    private List<IReadOnlyList<ClaimBinding>>? PlanGangVolumes(GangPlan plan, NodeView view)
    {
        var volumes = new List<IReadOnlyList<ClaimBinding>>(plan.Placements.Count);
        foreach (var (member, node) in plan.Placements)
        {
            if (_volumeBinding.Plan(member, view.Nodes[view.Nodes.IndexOf(node)]) is not { } claims)
            {
                foreach (var assumed in volumes)
                {
                    _volumeBinder.Forget(assumed);
                }

                return null;
            }

            _volumeBinder.Assume(claims);
            volumes.Add(claims);
        }

        return volumes;
    }

    private int BoundMembers(Gang gang) => _pods.List(p => gang.Includes(p) && PodLedgerSync.Holds(p)).Count;

    /// <summary>The nodes as this framework sees them now: what its offers leave free on each, and the pods each runs.</summary>
    private NodeView CurrentView() => _views.Current(_allocator.OffersVersion, () => _allocator.OutstandingOffers(Framework.Id));

    private async Task BindAsync(V1Pod pod, NodeInfo nodeInfo, IReadOnlyList<ClaimBinding> claims, CancellationToken cancellationToken)
    {
        var node = nodeInfo.Name;
        if (claims.Count > 0 && !await BindVolumesAsync(pod, nodeInfo, claims, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await _binds.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PodBinding.BindAsync(_client.Registry, pod.Namespace(), pod.Name(), node, pod.Uid(), dryRun: false, _time, cancellationToken)
                .ConfigureAwait(false);
            _events.Record(pod, "Normal", "Scheduled", $"Successfully assigned {pod.Namespace()}/{pod.Name()} to {node}", SchedulerName);
        }
        catch (Exception ex) when (ex is ApiException or OperationCanceledException)
        {
            _podsByNode.Forget(pod);
            _views.NodeChanged(node);
            _allocator.Ledger.Release(pod.Uid());
            if (ex is ApiException { Code: not 404 } api)
            {
                Log.BindFailed(_logger, pod.Namespace(), pod.Name(), node, api.Message);
            }
        }
        finally
        {
            _binds.Release();
        }
    }

    /// <summary>
    /// Binds the pod's unbound claims for the node before the pod is bound, outside the limit on concurrent binds: a claim
    /// waits for its volume to be provisioned. Failing, the pod's placement is undone and it goes back to the queue.
    /// </summary>
    private async Task<bool> BindVolumesAsync(V1Pod pod, NodeInfo node, IReadOnlyList<ClaimBinding> claims, CancellationToken cancellationToken)
    {
        try
        {
            await _volumeBinder.BindAsync(claims, node, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is ApiException or VolumeBindingException)
        {
            _podsByNode.Forget(pod);
            _views.NodeChanged(node.Name);
            _allocator.Ledger.Release(pod.Uid());
            _events.Record(pod, "Warning", "FailedScheduling", $"running PreBindPlugin \"VolumeBinding\": {ex.Message}", SchedulerName);
            _queue.Upsert($"{pod.Namespace()}/{pod.Name()}", pod);
            Wake();
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Nominates the node for the pod, then evicts the victims; the pod is placed once their resources are released.</summary>
    private async Task PreemptAsync(V1Pod pod, PreemptionPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            await _client.MutateAsync<V1Pod>(pod.Namespace(), pod.Name(), p =>
            {
                p.Status ??= new V1PodStatus();
                p.Status.NominatedNodeName = plan.Node;
            }, cancellationToken, "status").ConfigureAwait(false);
            var schedulerName = pod.Spec.SchedulerName ?? SchedulerName;
            foreach (var victim in plan.Victims)
            {
                // Marked before it is deleted, as kube-scheduler does, so the pod ends known to be preempted.
                await _client.MutateAsync<V1Pod>(victim.Namespace(), victim.Name(), p =>
                {
                    if (p.Uid() == victim.Uid())
                    {
                        PreemptionVictim.Mark(p, schedulerName, _time.GetUtcNow().UtcDateTime);
                    }
                }, cancellationToken, "status").ConfigureAwait(false);
                _events.Record(victim, "Normal", "Preempted", $"Preempted by pod {pod.Uid()} on node {plan.Node}", SchedulerName);
                await _client.DeleteAsync<V1Pod>(victim.Namespace(), victim.Name(), new DeleteRequest(PreconditionUid: victim.Uid()), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
        }
    }

    private async Task ReportUnschedulableAsync(V1Pod pod, string message, CancellationToken cancellationToken)
    {
        var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (current is { Status: "False", Reason: "Unschedulable" } && current.Message == message)
        {
            return;
        }

        _events.Record(pod, "Warning", "FailedScheduling", message, SchedulerName);
        try
        {
            await _client.MutateAsync<V1Pod>(pod.Namespace(), pod.Name(), p =>
            {
                p.Status ??= new V1PodStatus();
                p.Status.Phase ??= "Pending";
                var conditions = p.Status.Conditions ?? [];
                var existing = conditions.FirstOrDefault(c => c.Type == "PodScheduled");
                if (existing is null)
                {
                    existing = new V1PodCondition { Type = "PodScheduled" };
                    conditions.Add(existing);
                }

                if (existing.Status != "False")
                {
                    existing.LastTransitionTime = _time.GetUtcNow().UtcDateTime;
                }

                existing.Status = "False";
                existing.Reason = "Unschedulable";
                existing.Message = message;
                p.Status.Conditions = conditions;
            }, cancellationToken, "status").ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
        }
    }

    private void OnNode(V1Node? old, V1Node? current)
    {
        if (old is null || current is null)
        {
            _views.MembershipChanged();
        }
        else
        {
            _views.NodeChanged(current.Name());
        }

        RetryUnschedulable();
    }

    private void OnPod(V1Pod? old, V1Pod? current)
    {
        _podsByNode.Update(old, current);
        foreach (var node in new[] { old?.Spec.NodeName, current?.Spec.NodeName })
        {
            if (!string.IsNullOrEmpty(node))
            {
                _views.NodeChanged(node);
            }
        }

        var pod = current ?? old!;
        var key = $"{pod.Namespace()}/{pod.Name()}";
        if (current is null || !IsPending(current))
        {
            _queue.Remove(key);
            if (old is not null && PodLedgerSync.Holds(old) && (current is null || !PodLedgerSync.Holds(current)))
            {
                RetryUnschedulable();
            }

            return;
        }

        if (old is not null && IsPending(old) && old.Metadata.Generation == current.Metadata.Generation)
        {
            _queue.Refresh(key, current);
            return;
        }

        _queue.Upsert(key, current);
        Wake();
    }

    private static bool IsPending(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec.NodeName)
        && pod.Metadata.DeletionTimestamp is null
        && (pod.Spec.SchedulerName ?? SchedulerName) == SchedulerName
        && pod.Status?.Phase is not ("Succeeded" or "Failed");

    private void RetryUnschedulable()
    {
        if (_queue.RetryUnschedulable())
        {
            Wake();
        }
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _woken, 1) == 0)
        {
            _wake.Release();
        }
    }

    public override void Dispose()
    {
        _idleTimer?.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Placing {Pod} on {Node} was refused: {Reason}")]
        public static partial void PlacementRefused(ILogger logger, string pod, string node, string? reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Binding {Namespace}/{Pod} to {Node} failed: {Reason}")]
        public static partial void BindFailed(ILogger logger, string @namespace, string pod, string node, string reason);
    }
}
