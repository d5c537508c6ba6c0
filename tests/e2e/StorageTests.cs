using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// PersistentVolumes and their claims through the real kubectl: a volume an administrator made is bound to a claim and
/// mounted into a pod; a StatefulSet's claims are given volumes on the node its pods go to by the default class
/// (<c>local-path</c>, WaitForFirstConsumer), which are deleted with their claims; a pod whose claim does not exist
/// waits, says why, and starts once the claim is made.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class StorageTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    /// <summary>A pod's volume waits for the volume controller and, for a provisioned one, for the provisioner.</summary>
    private static readonly TimeSpan BindingPatience = TimeSpan.FromSeconds(60);

    private static readonly string[] ReadWriteOnce = ["ReadWriteOnce"];

    private static readonly string[] ScratchCommand = ["sh", "-c", "echo cached > /cache/hello && exec sleep 3600"];

    private static readonly string[] DbCommand = ["sh", "-c", "echo from db > /data/hello && exec sleep 3600"];

    [Fact]
    public async Task A_claim_binds_an_administrators_host_path_volume_and_a_pod_writes_into_it()
    {
        var ns = await CreateNamespaceAsync("pv-static");
        var hostDir = Path.GetDirectoryName(TempFile("volume"))!;
        var volume = $"static-{Guid.NewGuid().ToString("N")[..6]}";
        await CreateObjectAsync(null, new
        {
            apiVersion = "v1",
            kind = "PersistentVolume",
            metadata = new { name = volume },
            spec = new
            {
                capacity = new { storage = "1Gi" },
                accessModes = ReadWriteOnce,
                storageClassName = "",
                hostPath = new { path = hostDir, type = "Directory" },
            },
        });
        try
        {
            await CreateObjectAsync(ns, new
            {
                apiVersion = "v1",
                kind = "PersistentVolumeClaim",
                metadata = new { name = "data" },
                spec = new { accessModes = ReadWriteOnce, storageClassName = "", resources = new { requests = new { storage = "500Mi" } } },
            });
            await Eventually.Until(() => JsonPath(ns, "pvc/data", "{.status.phase} {.spec.volumeName}"), s => s == $"Bound {volume}", BindingPatience, "the claim bound");
            Check.Equal($"Bound {ns}/data", await JsonPath(ns, $"pv/{volume}", "{.status.phase} {.spec.claimRef.namespace}/{.spec.claimRef.name}"), "the volume bound");
            var row = Cells((await Ok("get", "pvc", "data", "-n", ns)).StdoutLines[1]);
            Check.Equal($"data Bound {volume} 1Gi RWO", string.Join(' ', row[..5]), "kubectl get pvc");

            await WritingPodAsync(ns, "writer", "data");
            await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(hostDir, "hello"))), found => found, Patience, "the pod's file on the host");
            Check.Equal("from writer\n", await File.ReadAllTextAsync(Path.Combine(hostDir, "hello")), "the file's content");

            await Ok("delete", "pod", "writer", "-n", ns, "--grace-period=0", "--force");
            await Ok("delete", "pvc", "data", "-n", ns, "--timeout=60s");
            await Eventually.Until(() => JsonPath(ns, $"pv/{volume}", "{.status.phase}"), s => s == "Released", BindingPatience, "the volume released");
        }
        finally
        {
            await Run("delete", "pv", volume, "--wait=false");
        }
    }

    [Fact]
    public async Task A_stateful_set_gets_a_volume_provisioned_on_its_pods_node_and_it_goes_with_its_claim()
    {
        var ns = await CreateNamespaceAsync("pv-local");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "apps/v1",
            kind = "StatefulSet",
            metadata = new { name = "db" },
            spec = new
            {
                serviceName = "db",
                replicas = 1,
                selector = new { matchLabels = new { app = "db" } },
                template = new
                {
                    metadata = new { labels = new { app = "db" } },
                    spec = new
                    {
                        terminationGracePeriodSeconds = 0,
                        containers = new[]
                        {
                            new
                            {
                                name = "main", image = "busybox",
                                command = DbCommand,
                                volumeMounts = new[] { new { name = "data", mountPath = "/data" } },
                            },
                        },
                    },
                },
                volumeClaimTemplates = new[]
                {
                    new
                    {
                        metadata = new { name = "data" },
                        spec = new { accessModes = ReadWriteOnce, resources = new { requests = new { storage = "100Mi" } } },
                    },
                },
            },
        });

        // The set creates its claim first, then the pod.
        await Eventually.Until(
            async () => (await Run("get", "pod/db-0", "-n", ns, "-o", "jsonpath={.status.phase}")).Stdout, s => s == "Running", BindingPatience, "db-0 running");
        var claim = await JsonPath(ns, "pvc/data-db-0", "{.spec.storageClassName} {.status.phase} {.metadata.uid} {.spec.volumeName}");
        var fields = claim.Split(' ');
        Check.Equal("local-path Bound", $"{fields[0]} {fields[1]}", "the claim: the default class, bound");
        Check.Equal($"pvc-{fields[2]}", fields[3], "the provisioned volume's name");
        var node = await JsonPath(ns, "pod/db-0", "{.spec.nodeName}");
        Check.Equal(node, await JsonPath(ns, "pvc/data-db-0", "{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}"), "the node the scheduler chose for the claim");
        var path = await JsonPath(ns, $"pv/{fields[3]}", "{.spec.hostPath.path}");
        Check.Equal($"/var/lib/gantry/local-path/{fields[3]}_{ns}_data-db-0", path, "the volume's directory");
        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Combine(path, "hello"))), found => found, Patience, "the pod's file on the node");

        await Ok("delete", "statefulset", "db", "-n", ns);
        await Eventually.Until(async () => (await Run("get", "pod", "db-0", "-n", ns)).Succeeded, exists => !exists, BindingPatience, "db-0 gone");
        await Ok("delete", "pvc", "data-db-0", "-n", ns, "--timeout=60s");
        await Eventually.Until(async () => (await Run("get", "pv", fields[3])).Succeeded, exists => !exists, BindingPatience, "the provisioned volume deleted");
        Assert.False(Directory.Exists(path), $"{path} should be removed with its volume");
    }

    [Fact]
    public async Task A_pod_whose_claim_is_missing_waits_in_kube_words_and_starts_once_it_exists()
    {
        var ns = await CreateNamespaceAsync("pv-missing");
        await WritingPodAsync(ns, "waiter", "later");

        var message = await Eventually.Until(
            () => JsonPath(ns, "pod/waiter", "{.status.conditions[?(@.type==\"PodScheduled\")].message}"),
            s => s.Length > 0, Patience, "the PodScheduled condition");
        Assert.Matches(
            @"^0/\d+ nodes are available: persistentvolumeclaim ""later"" not found\. preemption: 0/\d+ nodes are available: \d+ Preemption is not helpful for scheduling\.$",
            message);

        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "PersistentVolumeClaim",
            metadata = new { name = "later" },
            spec = new { accessModes = ReadWriteOnce, resources = new { requests = new { storage = "10Mi" } } },
        });
        await Eventually.Until(() => JsonPath(ns, "pod/waiter", "{.status.phase}"), s => s == "Running", BindingPatience, "the pod running");
        Check.Equal("Bound", await JsonPath(ns, "pvc/later", "{.status.phase}"), "the claim");
        await Ok("delete", "pod", "waiter", "-n", ns, "--grace-period=0", "--force");
        await Ok("delete", "pvc", "later", "-n", ns, "--timeout=60s");
    }

    [Fact]
    public async Task A_generic_ephemeral_volume_gets_a_claim_of_its_own_that_goes_with_the_pod()
    {
        var ns = await CreateNamespaceAsync("pv-ephemeral");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name = "scratch" },
            spec = new
            {
                terminationGracePeriodSeconds = 0,
                containers = new[]
                {
                    new
                    {
                        name = "main", image = "busybox", command = ScratchCommand,
                        volumeMounts = new[] { new { name = "cache", mountPath = "/cache" } },
                    },
                },
                volumes = new[]
                {
                    new
                    {
                        name = "cache",
                        ephemeral = new
                        {
                            volumeClaimTemplate = new { spec = new { accessModes = ReadWriteOnce, resources = new { requests = new { storage = "10Mi" } } } },
                        },
                    },
                },
            },
        });

        await Eventually.Until(() => JsonPath(ns, "pod/scratch", "{.status.phase}"), s => s == "Running", BindingPatience, "the pod running");
        Check.Equal("Bound Pod/scratch", await JsonPath(ns, "pvc/scratch-cache", "{.status.phase} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"),
            "the volume's claim, owned by the pod");
        var volume = await JsonPath(ns, "pvc/scratch-cache", "{.spec.volumeName}");

        await Ok("delete", "pod", "scratch", "-n", ns, "--grace-period=0", "--force");
        await Eventually.Until(async () => (await Run("get", "pv", volume)).Succeeded, exists => !exists, BindingPatience, "the claim's volume deleted with the pod");
    }

    [Fact]
    public async Task Kubectl_get_storageclass_marks_the_default_local_path_class()
    {
        var lines = (await Ok("get", "storageclass")).StdoutLines;

        Check.Equal("NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE", string.Join(' ', Cells(lines[0])), "the header");
        var row = lines.Select(Cells).Single(c => c[0] == "local-path");
        Check.Equal("local-path (default) gantry.io/local-path Delete WaitForFirstConsumer false", string.Join(' ', row[..6]), "the default class");
    }

    private Task<Harness.CommandResult> WritingPodAsync(string ns, string name, string claim) => CreateObjectAsync(ns, new
    {
        apiVersion = "v1",
        kind = "Pod",
        metadata = new { name },
        spec = new
        {
            terminationGracePeriodSeconds = 0,
            containers = new[]
            {
                new
                {
                    name = "main", image = "busybox",
                    command = new[] { "sh", "-c", $"echo from {name} > /data/hello && exec sleep 3600" },
                    volumeMounts = new[] { new { name = "data", mountPath = "/data" } },
                },
            },
            volumes = new[] { new { name = "data", persistentVolumeClaim = new { claimName = claim } } },
        },
    });
}
