using Gantry.Server.Kernel;

namespace Gantry.Tests.Kernel;

/// <summary>A framework that only remembers what the allocator told it.</summary>
internal sealed class RecordingReceiver : IOfferReceiver
{
    public List<Offer> Offers { get; } = [];

    public List<string> Rescinded { get; } = [];

    public void OnOffers(IReadOnlyList<Offer> offers) => Offers.AddRange(offers);

    public void OnRescind(string offerId) => Rescinded.Add(offerId);
}
