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

    [Fact]
    public async Task A_namespace_lists_only_its_own_objects_and_drops_the_deleted_ones()
    {
        await _context.CreateAsync(Pods, Pod("web"));
        await _context.Registry.CreateAsync(Pods, "kube-system", Pod("dns"), new WriteOptions(), _context.Ct);
        var informer = new Informer<V1Pod>(_context.Cache, Pods, NullLogger.Instance);
        var deleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.OnChange((_, current) =>
        {
            if (current is null)
            {
                deleted.TrySetResult();
            }
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_context.Ct);
        var running = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(_context.Ct);

        Assert.Equal(["web"], informer.ListInNamespace("default").Select(p => p.Metadata.Name));
        Assert.Equal(["dns"], informer.ListInNamespace("kube-system").Select(p => p.Metadata.Name));
        Assert.Empty(informer.ListInNamespace("elsewhere"));

        await _context.DeleteAsync(Pods, "web", new DeleteRequest(GracePeriodSeconds: 0));
        await deleted.Task.WaitAsync(_context.Ct);
        await stop.CancelAsync();
        await running;

        Assert.Empty(informer.ListInNamespace("default"));
        Assert.Equal(["dns"], informer.ListInNamespace("kube-system").Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task An_index_added_after_the_start_holds_the_objects_and_follows_a_changed_value()
    {
        await _context.CreateAsync(Pods, Pod("web"));
        var informer = new Informer<V1Pod>(_context.Cache, Pods, NullLogger.Instance);
        var adopted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.OnChange((_, current) =>
        {
            if (current?.Metadata.Labels?.ContainsKey("adopted") == true)
            {
                adopted.TrySetResult();
            }
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_context.Ct);
        var running = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(_context.Ct);

        informer.AddIndex("owner", p => p.Metadata.Labels is { } labels && labels.TryGetValue("owner", out var owner) ? owner : "none");
        Assert.Equal(["web"], informer.ListByIndex("owner", "none").Select(p => p.Metadata.Name));

        await _context.MutateAsync(Pods, "web", pod =>
        {
            pod["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["owner"] = "rs-1", ["adopted"] = "yes" };
            return pod;
        });
        await adopted.Task.WaitAsync(_context.Ct);
        await stop.CancelAsync();
        await running;

        Assert.Empty(informer.ListByIndex("owner", "none"));
        Assert.Equal(["web"], informer.ListByIndex("owner", "rs-1").Select(p => p.Metadata.Name));
    }
}
