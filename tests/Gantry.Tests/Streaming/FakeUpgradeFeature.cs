using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Tests.Streaming;

/// <summary>Kestrel's HTTP/1.1 upgrade, reduced to handing over one end of an in-memory connection.</summary>
internal sealed class FakeUpgradeFeature(Stream serverEnd) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => true;

    public bool Upgraded { get; private set; }

    public Task<Stream> UpgradeAsync()
    {
        Upgraded = true;
        return Task.FromResult(serverEnd);
    }
}
