using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Informers;

public sealed class InformerTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Objects_are_decoded_without_their_managed_fields_as_kube_schedulers_informers_keep_them()
    {
        await _context.CreateAsync(Pods, Pod("web"), new WriteOptions(FieldManager: "kubectl-run"));
        var informer = new Informer<V1Pod>(_context.Cache, Pods, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_context.Ct);
        var running = informer.RunAsync(stop.Token);

        await informer.Synced.WaitAsync(_context.Ct);
        var pod = informer.Get("default", "web")!;
        await stop.CancelAsync();
        await running;

        Assert.NotNull(_context.Get(Pods, "web")!["metadata"]!["managedFields"]);
        Assert.Null(pod.Metadata.ManagedFields);
        Assert.Equal("web", pod.Metadata.Name);
        Assert.Equal("nginx:1.27", pod.Spec.Containers.Single().Image);
    }
}
