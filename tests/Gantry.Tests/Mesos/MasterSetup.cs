using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using Gantry.Tests.Controllers;
using Gantry.Tests.Kernel;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Mesos;

/// <summary>A master with a real allocator and registry, one node <c>n1</c> of 4 cpus and 4 GiB, and an allocation loop that never runs.</summary>
internal sealed class MasterSetup : IAsyncDisposable
{
    private readonly AllocationLoop _loop;

    private MasterSetup(InformedRegistry registry)
    {
        Registry = registry;
        var ledger = new ResourceLedger();
        ledger.SetNode("n1", Resources.Of(4, 4096));
        var allocator = new Allocator(ledger, registry.Context.Time);
        _loop = new AllocationLoop(allocator);
        Master = new MesosMaster(allocator, _loop, registry.Client, registry.Informers, registry.Context.Time, NullLogger<MesosMaster>.Instance);
    }

    public InformedRegistry Registry { get; }

    public MesosMaster Master { get; }

    public static async Task<MasterSetup> CreateAsync() => new(await InformedRegistry.CreateAsync());

    public async ValueTask DisposeAsync()
    {
        Master.Dispose();
        _loop.Dispose();
        await Registry.DisposeAsync();
    }
}
