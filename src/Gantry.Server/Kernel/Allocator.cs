using System.Collections.Immutable;
using System.Globalization;

namespace Gantry.Server.Kernel;

/// <summary>
/// Offers the ledger's free resources to frameworks, Mesos-style. Each round, every node's
/// unoffered free resources go, whole, to one framework: the one whose role is furthest below its
/// quota, else the one with the lowest weighted dominant share (Dominant Resource Fairness over
/// allocated plus offered), skipping frameworks that declined that node recently (offer filters).
/// Accepting commits to the ledger atomically; nothing is ever committed beyond what was offered.
/// </summary>
public sealed class Allocator
{
    /// <summary>Mesos' default <c>refuse_seconds</c>: how long resources left unused are kept from the framework that left them.</summary>
    public static readonly TimeSpan DefaultRefusal = TimeSpan.FromSeconds(5);

    private readonly ResourceLedger _ledger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (FrameworkInfo Info, IOfferReceiver Receiver)> _frameworks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _suppressed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleSettings> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Offer> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _offeredAt = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Framework, string Node), DateTimeOffset> _filters = [];
    private long _nextOffer;

    // A round changes nothing unless something it reads changed since the last one: the ledger other than by commits
    // against offers, the frameworks, roles, offers given back, or a filter running out. The pod scheduler asks for a
    // round on every pass, and a round reads every node.
    private bool _roundWanted = true;
    private long _roundLedgerVersion = -1;
    private DateTimeOffset _nextFilterExpiry = DateTimeOffset.MaxValue;
    private long _offersVersion;

    public Allocator(ResourceLedger ledger, TimeProvider time)
    {
        _ledger = ledger;
        _time = time;
    }

    public ResourceLedger Ledger => _ledger;

    /// <summary>A role's weight and quota: what was set for it, else the defaults every role has.</summary>
    public RoleSettings RoleOf(string role)
    {
        lock (_gate)
        {
            return _roles.GetValueOrDefault(role) ?? RoleSettings.Default;
        }
    }

    public void SetRole(string role, RoleSettings settings)
    {
        lock (_gate)
        {
            _roles[role] = settings;
            _roundWanted = true;
        }
    }

    public void Register(FrameworkInfo framework, IOfferReceiver receiver)
    {
        lock (_gate)
        {
            _frameworks[framework.Id] = (framework, receiver);
            _roundWanted = true;
        }
    }

    /// <summary>Removes the framework and takes back its offers; its allocations stay until released.</summary>
    public void Unregister(string frameworkId)
    {
        lock (_gate)
        {
            _frameworks.Remove(frameworkId);
            _suppressed.Remove(frameworkId);
            _roundWanted = true;
            foreach (var offer in _offers.Values.Where(o => o.FrameworkId == frameworkId).ToList())
            {
                _offers.Remove(offer.Id);
                _offersVersion++;
            }
        }
    }

    /// <summary>Stops offers to a framework that has nothing to run (Mesos' SUPPRESS); <see cref="Revive"/> resumes them and clears its filters.</summary>
    public void Suppress(string frameworkId)
    {
        lock (_gate)
        {
            _roundWanted |= _suppressed.Add(frameworkId);
        }
    }

    public void Revive(string frameworkId)
    {
        lock (_gate)
        {
            _roundWanted |= _suppressed.Remove(frameworkId);
            foreach (var key in _filters.Keys.Where(k => k.Framework == frameworkId).ToList())
            {
                _roundWanted |= _filters.Remove(key);
            }
        }
    }

    /// <summary>
    /// Rises whenever an offer is made, declined, rescinded or withdrawn, except when an accept of a single offer leaves
    /// its remainder under the same id (or nothing): the framework that accepted made that change itself. A framework
    /// that saw the offers at one version knows, while it holds, that they are what it last saw less what it accepted.
    /// </summary>
    public long OffersVersion
    {
        get
        {
            lock (_gate)
            {
                return _offersVersion;
            }
        }
    }

    /// <summary>Every framework's offers not yet accepted, declined or rescinded.</summary>
    public IReadOnlyList<Offer> OutstandingOffers()
    {
        lock (_gate)
        {
            return [.. _offers.Values];
        }
    }

    public IReadOnlyList<Offer> OutstandingOffers(string frameworkId)
    {
        lock (_gate)
        {
            return [.. _offers.Values.Where(o => o.FrameworkId == frameworkId)];
        }
    }

    /// <summary>One allocation round: makes and delivers new offers; returns them.</summary>
    public IReadOnlyList<Offer> Allocate()
    {
        List<(IOfferReceiver Receiver, Offer Offer)> made = [];
        List<(IOfferReceiver Receiver, string OfferId)> rescinded = [];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var ledgerVersion = _ledger.VersionBesidesCommits;
            if (!_roundWanted && ledgerVersion == _roundLedgerVersion && now < _nextFilterExpiry)
            {
                return [];
            }

            var snapshot = _ledger.Snapshot();
            RescindInvalid(snapshot, rescinded);
            foreach (var key in _filters.Where(f => f.Value <= now).Select(f => f.Key).ToList())
            {
                _filters.Remove(key);
            }

            _roundWanted = false;
            _roundLedgerVersion = ledgerVersion;
            _nextFilterExpiry = _filters.Count == 0 ? DateTimeOffset.MaxValue : _filters.Values.Min();
            var candidates = _frameworks.Values.Where(f => !_suppressed.Contains(f.Info.Id)).ToList();
            if (candidates.Count == 0)
            {
                return [];
            }

            var total = snapshot.Total;
            var holding = candidates.ToDictionary(
                f => f.Info.Id,
                f => snapshot.AllocatedByFramework.GetValueOrDefault(f.Info.Id, ResourceVector.Zero),
                StringComparer.Ordinal);
            var offeredOnNode = new Dictionary<string, ResourceVector>(StringComparer.Ordinal);
            foreach (var offer in _offers.Values)
            {
                offeredOnNode[offer.Node] = offeredOnNode.GetValueOrDefault(offer.Node, ResourceVector.Zero).Add(offer.Resources);
                if (holding.TryGetValue(offer.FrameworkId, out var held))
                {
                    holding[offer.FrameworkId] = held.Add(offer.Resources);
                }
            }

            var available = new List<(string Node, ResourceVector Free)>();
            foreach (var node in snapshot.Nodes.Values.OrderBy(n => n.Node, StringComparer.Ordinal))
            {
                // Pod slots alone are worth offering: a node whose CPU and memory a framework's remainder offer holds
                // gets slots back when pods that requested nothing end, and the framework places on the two together.
                var free = node.Free.Subtract(offeredOnNode.GetValueOrDefault(node.Node, ResourceVector.Zero));
                if (free.Pods > 0)
                {
                    available.Add((node.Node, Clamp(free)));
                }
            }

            var unofferedTotal = available.Aggregate(ResourceVector.Zero, (sum, a) => sum.Add(a.Free));
            foreach (var (node, free) in available)
            {
                var headroom = QuotaHeadroom(holding);
                var chosen = Choose(candidates, holding, total, node, now, free, unofferedTotal, headroom);
                if (chosen is null)
                {
                    continue;
                }

                var offer = new Offer(NextOfferId(), chosen.Value.Info.Id, node, free);
                _offers[offer.Id] = offer;
                _offeredAt[offer.Id] = now;
                _offersVersion++;
                holding[chosen.Value.Info.Id] = holding[chosen.Value.Info.Id].Add(free);
                unofferedTotal = unofferedTotal.Subtract(free);
                made.Add((chosen.Value.Receiver, offer));
            }
        }

        foreach (var (receiver, offerId) in rescinded)
        {
            receiver.OnRescind(offerId);
        }

        foreach (var group in made.GroupBy(m => m.Receiver))
        {
            group.Key.OnOffers([.. group.Select(m => m.Offer)]);
        }

        return [.. made.Select(m => m.Offer)];
    }

    /// <summary>
    /// Commits <paramref name="work"/> against the named offers of one node, all or nothing. The work
    /// must fit in the offers together. With <paramref name="keepRemainder"/> what is left stays
    /// offered to the framework (the pod scheduler places many pods on one offer); otherwise it goes
    /// back to the pool and is kept from this framework for <paramref name="refuse"/> (<see cref="DefaultRefusal"/> unless
    /// given), as in Mesos.
    /// </summary>
    public LedgerCommit Accept(IReadOnlyList<string> offerIds, IReadOnlyList<Allocation> work, bool keepRemainder, TimeSpan? refuse = null) =>
        AcceptAll([new OfferAcceptance(offerIds, work)], keepRemainder, refuse);

    /// <summary>
    /// Accepts offers of several nodes at once, all or nothing: one ledger commit for all the work,
    /// so a group that must run together (a gang) is placed whole or not at all.
    /// </summary>
    public LedgerCommit AcceptAll(IReadOnlyList<OfferAcceptance> acceptances, bool keepRemainder, TimeSpan? refuse = null)
    {
        lock (_gate)
        {
            var checkedGroups = new List<(List<Offer> Offers, ResourceVector Offered, ResourceVector Used)>(acceptances.Count);
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (offerIds, work) in acceptances)
            {
                var offers = new List<Offer>(offerIds.Count);
                foreach (var id in offerIds)
                {
                    if (!_offers.TryGetValue(id, out var offer) || !claimed.Add(id))
                    {
                        return LedgerCommit.Refused(work.Count > 0 ? work[0].Node : "", $"offer {id} is no longer valid");
                    }

                    offers.Add(offer);
                }

                if (offers.Count == 0 || offers.Any(o => o.Node != offers[0].Node || o.FrameworkId != offers[0].FrameworkId))
                {
                    return LedgerCommit.Refused(offers.Count > 0 ? offers[0].Node : "", "the offers must be of one node and one framework");
                }

                var node = offers[0].Node;
                if (work.Any(w => w.Node != node || w.FrameworkId != offers[0].FrameworkId))
                {
                    return LedgerCommit.Refused(node, "work must be placed on the offered node by the offer's framework");
                }

                var offered = offers.Aggregate(ResourceVector.Zero, (sum, o) => sum.Add(o.Resources));
                var used = work.Aggregate(ResourceVector.Zero, (sum, w) => sum.Add(w.Resources));
                var shortfalls = used.Shortfalls(offered);
                if (shortfalls.Count > 0)
                {
                    return LedgerCommit.Refused(node, $"the work needs more {string.Join(", ", shortfalls)} than was offered");
                }

                checkedGroups.Add((offers, offered, used));
            }

            var allWork = acceptances.SelectMany(a => a.Work).ToList();
            // Work the ledger already holds takes nothing from it, so what its offer held for it is free again.
            var recordedBefore = allWork.Any(w => _ledger.Find(w.Id) is not null);
            var commit = _ledger.TryCommit(allWork);
            if (!commit.Succeeded)
            {
                return commit;
            }

            _roundWanted |= recordedBefore || !keepRemainder;

            foreach (var (offers, offered, used) in checkedGroups)
            {
                foreach (var offer in offers)
                {
                    _offers.Remove(offer.Id);
                }

                if (offers.Count > 1 || !keepRemainder)
                {
                    _offersVersion++;
                }

                var remainder = offered.Subtract(used);
                if (keepRemainder)
                {
                    if (!remainder.IsZero)
                    {
                        _offers[offers[0].Id] = new Offer(offers[0].Id, offers[0].FrameworkId, offers[0].Node, remainder);
                    }
                }
                else if ((refuse ?? DefaultRefusal) is var refusal && refusal > TimeSpan.Zero)
                {
                    _filters[(offers[0].FrameworkId, offers[0].Node)] = _time.GetUtcNow() + refusal;
                }
            }

            return LedgerCommit.Committed;
        }
    }

    /// <summary>Returns the offer's resources to the pool; the node is not offered to this framework again for <paramref name="refuse"/>.</summary>
    public void Decline(string offerId, TimeSpan refuse)
    {
        lock (_gate)
        {
            if (_offers.Remove(offerId, out var offer))
            {
                _roundWanted = true;
                _offersVersion++;
                if (refuse > TimeSpan.Zero)
                {
                    _filters[(offer.FrameworkId, offer.Node)] = _time.GetUtcNow() + refuse;
                }
            }
        }
    }

    /// <summary>
    /// Mesos' offer timeout, while another framework waits: offers held for <paramref name="timeout"/> or longer (a
    /// remainder kept after accepts counts from its first offer) are taken back, and their node kept from their framework
    /// for <see cref="DefaultRefusal"/>, so that the others get a turn at it in DRF order. A framework that is alone
    /// keeps its offers, as nobody else could use them. Returns the offers rescinded.
    /// </summary>
    public IReadOnlyList<string> RescindStale(TimeSpan timeout)
    {
        List<(IOfferReceiver Receiver, string OfferId)> rescinded = [];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var id in _offeredAt.Keys.Where(id => !_offers.ContainsKey(id)).ToList())
            {
                _offeredAt.Remove(id);
            }

            var wanting = _frameworks.Keys.Where(id => !_suppressed.Contains(id)).ToList();
            foreach (var offer in _offers.Values.ToList())
            {
                if (now - _offeredAt.GetValueOrDefault(offer.Id, now) < timeout || !wanting.Any(id => id != offer.FrameworkId))
                {
                    continue;
                }

                _offers.Remove(offer.Id);
                _offeredAt.Remove(offer.Id);
                _offersVersion++;
                _roundWanted = true;
                // Kept from it for a while, as if declined: else the framework with the lower share, which may be the
                // one that held the offer idle, would get it straight back and the others never a turn.
                _filters[(offer.FrameworkId, offer.Node)] = now + DefaultRefusal;
                if (_frameworks.TryGetValue(offer.FrameworkId, out var framework))
                {
                    rescinded.Add((framework.Receiver, offer.Id));
                }
            }
        }

        foreach (var (receiver, offerId) in rescinded)
        {
            receiver.OnRescind(offerId);
        }

        return [.. rescinded.Select(r => r.OfferId)];
    }

    /// <summary>Offers of nodes that left, or that can no longer back them (the node shrank, work was recorded under them).</summary>
    private void RescindInvalid(LedgerSnapshot snapshot, List<(IOfferReceiver, string)> rescinded)
    {
        foreach (var byNode in _offers.Values.GroupBy(o => o.Node).ToList())
        {
            var free = snapshot.Nodes.TryGetValue(byNode.Key, out var account) ? account.Free : null;
            var offered = byNode.Aggregate(ResourceVector.Zero, (sum, o) => sum.Add(o.Resources));
            if (free is not null && offered.FitsIn(free))
            {
                continue;
            }

            foreach (var offer in byNode)
            {
                _offers.Remove(offer.Id);
                _offersVersion++;
                if (_frameworks.TryGetValue(offer.FrameworkId, out var framework))
                {
                    rescinded.Add((framework.Receiver, offer.Id));
                }
            }
        }
    }

    private (FrameworkInfo Info, IOfferReceiver Receiver)? Choose(
        List<(FrameworkInfo Info, IOfferReceiver Receiver)> candidates, Dictionary<string, ResourceVector> holding, ResourceVector total,
        string node, DateTimeOffset now, ResourceVector free, ResourceVector unofferedTotal, ResourceVector headroom)
    {
        (FrameworkInfo Info, IOfferReceiver Receiver)? best = null;
        var bestKey = (Quota: false, Share: double.MaxValue);
        foreach (var candidate in candidates)
        {
            if (_filters.TryGetValue((candidate.Info.Id, node), out var until) && until > now)
            {
                continue;
            }

            if (candidate.Info.RunsOnScalars && free.CpuMillis <= 0 && free.MemoryBytes <= 0)
            {
                continue;
            }

            var role = _roles.GetValueOrDefault(candidate.Info.Role, RoleSettings.Default);
            var roleHolding = RoleHolding(candidate.Info.Role, holding);
            var belowQuota = !role.Quota.IsZero && !role.Quota.FitsIn(roleHolding);

            // Resources still owed to roles below their quota are not offered to anyone else.
            if (!belowQuota && !headroom.IsZero && !headroom.FitsIn(Clamp(unofferedTotal.Subtract(free))))
            {
                continue;
            }

            var share = holding[candidate.Info.Id].DominantShare(total) / Math.Max(role.Weight, 1e-9);
            var key = (Quota: belowQuota, Share: share);
            if (best is null || (key.Quota && !bestKey.Quota) || (key.Quota == bestKey.Quota && key.Share < bestKey.Share))
            {
                best = candidate;
                bestKey = key;
            }
        }

        return best;
    }

    /// <summary>What the roles below their quota still need, in all.</summary>
    private ResourceVector QuotaHeadroom(Dictionary<string, ResourceVector> holding)
    {
        var headroom = ResourceVector.Zero;
        foreach (var (role, settings) in _roles)
        {
            if (!settings.Quota.IsZero)
            {
                headroom = headroom.Add(Clamp(settings.Quota.Subtract(RoleHolding(role, holding))));
            }
        }

        return headroom;
    }

    private ResourceVector RoleHolding(string role, Dictionary<string, ResourceVector> holding) =>
        _frameworks.Values.Where(f => f.Info.Role == role && holding.ContainsKey(f.Info.Id))
            .Aggregate(ResourceVector.Zero, (sum, f) => sum.Add(holding[f.Info.Id]));

    private static ResourceVector Clamp(ResourceVector v) => new(
        Math.Max(0, v.CpuMillis), Math.Max(0, v.MemoryBytes), Math.Max(0, v.EphemeralStorageBytes), Math.Max(0, v.Pods),
        v.Extended.Where(e => e.Value > 0).ToImmutableSortedDictionary(StringComparer.Ordinal));

    private string NextOfferId() => "offer-" + (++_nextOffer).ToString(CultureInfo.InvariantCulture);
}
