using Gantry.Server.Marathon;
using Gantry.Tests.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>
/// What every test of Marathon's apps starts from: the apps over real informers on a registry whose clock the test
/// moves. A test that listens to the informers too registers its handlers in <see cref="BeforeInformersRun"/>.
/// </summary>
public abstract class MarathonAppsTest : IAsyncLifetime
{
    private protected InformedRegistry Registry { get; private set; } = null!;

    private protected MarathonApps Apps { get; private set; } = null!;

    private protected CancellationToken Ct => Registry.Context.Ct;

    public async Task InitializeAsync()
    {
        Registry = await InformedRegistry.CreateAsync();
        Apps = new MarathonApps(Registry.Client, Registry.Informers, Registry.Context.Time, NullLogger<MarathonApps>.Instance);
        BeforeInformersRun();
        await Registry.RunInformersAsync();
    }

    public async Task DisposeAsync()
    {
        Apps.Dispose();
        await Registry.DisposeAsync();
    }

    private protected virtual void BeforeInformersRun()
    {
    }
}
