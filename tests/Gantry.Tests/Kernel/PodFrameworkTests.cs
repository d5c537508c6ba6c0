using System.Diagnostics;
using Gantry.Server.Kernel;
using Gantry.Tests.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Kernel;

public sealed class PodFrameworkTests
{
    private static V1Pod Pod(string? framework, string node = "n1") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "p1",
            NamespaceProperty = "default",
            Uid = "uid-1",
            Labels = framework is null ? null : new Dictionary<string, string> { [PodFramework.Label] = framework },
        },
        Spec = new V1PodSpec
        {
            NodeName = node,
            SchedulerName = framework is null ? null : PodFramework.SchedulerName,
            Containers =
            [
                new V1Container
                {
                    Name = "c",
                    Image = "busybox",
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } },
                },
            ],
        },
    };

    [Fact]
    public void A_pod_of_the_pod_scheduler_with_the_framework_label_is_still_held_under_its_uid()
    {
        var pod = Pod("fw-1");
        pod.Spec.SchedulerName = "default-scheduler";

        Assert.Null(PodFramework.ExternalFrameworkOf(pod));
        Assert.Equal("uid-1", PodFramework.AllocationId(pod));
    }

    [Fact]
    public void A_pod_labelled_with_a_framework_is_held_for_it_under_its_namespace_and_name()
    {
        var pod = Pod("fw-1");

        Assert.Equal("fw-1", PodFramework.ExternalFrameworkOf(pod));
        Assert.Equal("pod:default/p1", PodFramework.AllocationId(pod));
    }

    [Fact]
    public void An_unlabelled_pod_is_the_pod_schedulers_under_its_uid()
    {
        var pod = Pod(null);

        Assert.Null(PodFramework.ExternalFrameworkOf(pod));
        Assert.Equal("uid-1", PodFramework.AllocationId(pod));
    }

    [Fact]
    public void An_empty_framework_label_names_no_framework()
    {
        var pod = Pod("");

        Assert.Null(PodFramework.ExternalFrameworkOf(pod));
        Assert.Equal("uid-1", PodFramework.AllocationId(pod));
    }

    [Fact]
    public async Task The_ledger_records_a_labelled_pod_under_the_labels_framework()
    {
        await using var registry = await InformedRegistry.CreateAsync();
        var ledger = Sync(registry);
        await registry.RunInformersAsync();

        var created = await registry.Client.CreateAsync(Pod("fw-1"), registry.Context.Ct);

        var allocation = await RecordedAsync(ledger, "pod:default/p1");
        Assert.Equal(("fw-1", "n1", 250L), (allocation.FrameworkId, allocation.Node, allocation.Resources.CpuMillis));
        Assert.Null(ledger.Find(created.Metadata.Uid));
    }

    [Fact]
    public async Task The_ledger_records_an_unlabelled_pod_under_the_pod_scheduler_by_its_uid()
    {
        await using var registry = await InformedRegistry.CreateAsync();
        var ledger = Sync(registry);
        await registry.RunInformersAsync();

        var created = await registry.Client.CreateAsync(Pod(null), registry.Context.Ct);

        Assert.Equal("pod-scheduler", (await RecordedAsync(ledger, created.Metadata.Uid)).FrameworkId);
    }

    [Fact]
    public async Task A_labelled_pod_that_finished_gives_its_resources_back()
    {
        await using var registry = await InformedRegistry.CreateAsync();
        var ledger = Sync(registry);
        await registry.RunInformersAsync();
        await registry.Client.CreateAsync(Pod("fw-1"), registry.Context.Ct);
        await RecordedAsync(ledger, "pod:default/p1");

        await registry.Client.MutateAsync<V1Pod>("default", "p1", p => p.Status.Phase = "Succeeded", registry.Context.Ct, subresource: "status");

        Assert.True(await EventuallyAsync(() => ledger.Find("pod:default/p1") is null), "the finished pod's allocation is still in the ledger");
    }

    [Fact]
    public async Task A_pod_whose_framework_label_is_removed_is_held_once_for_the_pod_scheduler()
    {
        await using var registry = await InformedRegistry.CreateAsync();
        var ledger = Sync(registry);
        await registry.RunInformersAsync();
        var created = await registry.Client.CreateAsync(Pod("fw-1"), registry.Context.Ct);
        await RecordedAsync(ledger, "pod:default/p1");

        await registry.Client.MutateAsync<V1Pod>("default", "p1", p => p.Metadata.Labels.Remove(PodFramework.Label), registry.Context.Ct);

        Assert.Equal("pod-scheduler", (await RecordedAsync(ledger, created.Metadata.Uid)).FrameworkId);
        Assert.Null(ledger.Find("pod:default/p1"));
    }

    private static ResourceLedger Sync(InformedRegistry registry)
    {
        var ledger = new ResourceLedger();
        _ = new PodLedgerSync(registry.Informers, ledger, new AllocationLoop(new Allocator(ledger, registry.Context.Time)), "pod-scheduler");
        return ledger;
    }

    /// <summary>The allocation once the sync has recorded it: the informer calls it just after it holds the pod.</summary>
    private static async Task<Allocation> RecordedAsync(ResourceLedger ledger, string id)
    {
        Assert.True(await EventuallyAsync(() => ledger.Find(id) is not null), $"no allocation {id} in the ledger");
        return ledger.Find(id)!;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
