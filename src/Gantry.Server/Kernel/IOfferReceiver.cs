namespace Gantry.Server.Kernel;

/// <summary>How a framework hears from the allocator. Called under no lock; implementations must not block.</summary>
public interface IOfferReceiver
{
    void OnOffers(IReadOnlyList<Offer> offers);

    /// <summary>The offer is no longer valid (its node left or shrank, or its framework was removed); accepting it fails.</summary>
    void OnRescind(string offerId);
}
