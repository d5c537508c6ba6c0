namespace Gantry.Server.Kernel;

/// <summary>Work to place on one node against the named offers of that node.</summary>
public sealed record OfferAcceptance(IReadOnlyList<string> OfferIds, IReadOnlyList<Allocation> Work);
