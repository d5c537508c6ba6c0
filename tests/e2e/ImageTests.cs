using Gantry.E2E.Harness;
using Gantry.E2E.Images;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The node's images through <c>gantry image</c> on the running cluster's data directory, while its
/// agent runs: the built-in busybox is listed; a docker save archive is imported, run and removed;
/// an image pushed to a real distribution registry (Debian's docker-registry on 127.0.0.1) is pulled
/// with progress — through an OCI index, choosing this machine's platform — and runs in a pod; a pod
/// pulls a missing image by itself; an image in use cannot be removed.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed class ImageTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private async Task<CommandResult> Gantry(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(RepoPaths.GantryBinary, [.. args, "--data-dir", Fixture.DataDir], null, null, CommandTimeout);
        Output.WriteLine(result.Describe());
        return result;
    }

    private async Task<IReadOnlyList<string[]>> ListAsync()
    {
        var result = Check.Succeeded(await Gantry("image", "ls"));
        Assert.Equal(["REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"], Cells(result.StdoutLines[0]));
        return [.. result.StdoutLines.Skip(1).Select(Cells)];
    }

    private async Task RunPodAsync(string ns, string name, string image, string script)
    {
        var node = (await Ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Stdout.Trim();
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name },
            spec = new
            {
                nodeName = node,
                terminationGracePeriodSeconds = 2,
                containers = new[] { new { name = "main", image, command = new[] { "sh", "-c", script } } },
            },
        });
        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "wait", "--for=jsonpath={.status.phase}=Running", $"pod/{name}", "-n", ns, $"--timeout={(int)StartPatience.TotalSeconds}s");
    }

    private Task<CommandResult> AwaitLogAsync(string ns, string pod, string text) =>
        Eventually.Until(() => Run("logs", pod, "-n", ns), r => r.Stdout.Contains(text, StringComparison.Ordinal), Patience, $"\"{text}\" in the log of {pod}");

    [Fact]
    public async Task Gantry_up_provides_busybox_and_image_ls_lists_it()
    {
        var rows = await ListAsync();

        var busybox = Assert.Single(rows, r => r[0] == "busybox");
        Assert.Equal("latest", busybox[1]);
        Assert.Matches("^[0-9a-f]{12}$", busybox[2]);
    }

    [Fact]
    public async Task A_docker_save_archive_is_imported_listed_run_and_removed()
    {
        var image = TestImage.Create("imported from docker save", "amd64");
        var archive = TempFile("saved.tar");
        image.WriteDockerSave(archive, "e2e/saved:1");

        var imported = Check.Succeeded(await Gantry("image", "import", archive));
        Assert.Equal("Loaded image: docker.io/e2e/saved:1", imported.Stdout.Trim());
        var row = Assert.Single(await ListAsync(), r => r[0] == "e2e/saved");
        Assert.Equal(["1", image.Id[7..19]], row[1..3]);

        var ns = await CreateNamespaceAsync("image-import");
        await RunPodAsync(ns, "saved", "e2e/saved:1", "cat /etc/marker; sleep 3600");
        await AwaitLogAsync(ns, "saved", "imported from docker save");

        var refused = Check.Failed(await Gantry("image", "rm", "e2e/saved:1"));
        Assert.Contains($"in use by pod {ns}/saved (container main)", refused.Stderr, StringComparison.Ordinal);
        await Ok("delete", "pod", "saved", "-n", ns, "--timeout=30s");

        var removed = Check.Succeeded(await Gantry("image", "rm", "e2e/saved:1"));
        Assert.Equal(["Untagged: docker.io/e2e/saved:1", $"Deleted: {image.Id}"], removed.StdoutLines);
        Assert.DoesNotContain(await ListAsync(), r => r[0] == "e2e/saved");
        Check.Failed(await Gantry("image", "rm", "e2e/saved:1"));
    }

    [Fact]
    public async Task An_image_pushed_to_a_registry_is_pulled_with_progress_and_runs_in_a_pod()
    {
        await using var registry = await LocalRegistry.StartAsync(Fixture.WorkDir);
        var native = TestImage.Create("pulled from the registry", "amd64");
        var foreign = TestImage.Create("wrong platform", "arm64");
        var nativeDigest = await registry.PushAsync("test/busybox", null, native);
        var foreignDigest = await registry.PushAsync("test/busybox", null, foreign);
        var index = await registry.PushIndexAsync("test/busybox", "1",
            (foreignDigest, foreign.Manifest().Length, "arm64"), (nativeDigest, native.Manifest().Length, "amd64"));
        var reference = $"{registry.Host}/test/busybox:1";

        var pulled = Check.Succeeded(await Gantry("image", "pull", reference));

        Assert.Equal(native.Id, pulled.Stdout.Trim());
        var layer = TestImage.Digest(native.Layer)[7..19];
        Assert.Contains($"{layer}: Download complete", pulled.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{layer}: Pull complete", pulled.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Digest: {index}", pulled.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Status: Downloaded newer image for {reference}", pulled.Stderr, StringComparison.Ordinal);
        Assert.Contains(await ListAsync(), r => r[0] == $"{registry.Host}/test/busybox" && r[1] == "1" && r[2] == native.Id[7..19]);
        var again = Check.Succeeded(await Gantry("image", "pull", reference));
        Assert.Contains($"Status: Image is up to date for {reference}", again.Stderr, StringComparison.Ordinal);

        var ns = await CreateNamespaceAsync("image-pull");
        await RunPodAsync(ns, "pulled", reference, "cat /etc/marker; sleep 3600");
        await AwaitLogAsync(ns, "pulled", "pulled from the registry");
        await Ok("delete", "pod", "pulled", "-n", ns, "--timeout=30s");
        Check.Succeeded(await Gantry("image", "rm", reference));
    }

    [Fact]
    public async Task A_pod_pulls_a_missing_image_from_the_registry_itself()
    {
        await using var registry = await LocalRegistry.StartAsync(Fixture.WorkDir);
        await registry.PushAsync("test/agent", "2", TestImage.Create("pulled by the agent", "amd64"));
        var ns = await CreateNamespaceAsync("image-agent-pull");

        await RunPodAsync(ns, "self", $"{registry.Host}/test/agent:2", "cat /etc/marker; sleep 3600");

        await AwaitLogAsync(ns, "self", "pulled by the agent");
        Assert.Contains(await ListAsync(), r => r[0] == $"{registry.Host}/test/agent" && r[1] == "2");
        var events = await Eventually.Until(() => EventsAsync(ns), e => e.Any(x => x.Reason == "Started"), Patience, "the container's Started event");
        Assert.Equal(["Pulling", "Pulled", "Created", "Started"], events.Select(e => e.Reason));
        Assert.StartsWith($"Successfully pulled image \"{registry.Host}/test/agent:2\" in ", events[1].Message, StringComparison.Ordinal);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(registry.Host)}/test/agent@sha256:[0-9a-f]{{64}}$",
            await JsonPath(ns, "pod/self", "{.status.containerStatuses[0].imageID}"));
        Assert.Equal($"{registry.Host}/test/agent:2", await JsonPath(ns, "pod/self", "{.status.containerStatuses[0].image}"));
        await Ok("delete", "pod", "self", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task A_pod_whose_image_the_registry_lacks_waits_with_the_pull_error()
    {
        await using var registry = await LocalRegistry.StartAsync(Fixture.WorkDir);
        var image = $"{registry.Host}/test/nope:1";
        var ns = await CreateNamespaceAsync("image-missing");
        var node = (await Ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Stdout.Trim();
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "Pod",
            metadata = new { name = "missing" },
            spec = new { nodeName = node, containers = new[] { new { name = "main", image } } },
        });

        var message = await Eventually.Until(
            async () => await JsonPath(ns, "pod/missing", "{.status.containerStatuses[0].state.waiting.message}"),
            m => m.Contains($"failed to pull and unpack image \"{image}\"", StringComparison.Ordinal) ||
                 m.Contains($"Back-off pulling image \"{image}\"", StringComparison.Ordinal),
            StartPatience,
            "the pull failure on the container");

        Output.WriteLine(message);
        var reason = await JsonPath(ns, "pod/missing", "{.status.containerStatuses[0].state.waiting.reason}");
        Assert.True(reason is "ErrImagePull" or "ImagePullBackOff", $"waiting reason {reason}");
        var events = await Eventually.Until(() => EventsAsync(ns), e => e.Any(x => x.Message == "Error: ErrImagePull"), Patience, "the pull's Failed events");
        Assert.Contains(events, e => e.Reason == "Failed" && e.Message.StartsWith($"Failed to pull image \"{image}\": ", StringComparison.Ordinal));
        await Ok("delete", "pod", "missing", "-n", ns, "--timeout=30s");
    }

    [Fact]
    public async Task Pull_refuses_an_invalid_reference_and_reports_an_unreachable_registry()
    {
        var invalid = Check.Failed(await Gantry("image", "pull", "Not/Valid"));
        Assert.Contains("invalid reference", invalid.Stderr, StringComparison.Ordinal);

        var unreachable = Check.Failed(await Gantry("image", "pull", "127.0.0.1:1/test/busybox:1"));
        Assert.Contains("failed to pull 127.0.0.1:1/test/busybox:1", unreachable.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The namespace's events as reason and message, oldest first: the kubelet names an event after its time.</summary>
    private async Task<List<(string Reason, string Message)>> EventsAsync(string ns)
    {
        var list = await GetJson("events", "-n", ns);
        return list.GetProperty("items").EnumerateArray()
            .OrderBy(e => e.GetProperty("metadata").GetProperty("name").GetString(), StringComparer.Ordinal)
            .Select(e => (e.GetProperty("reason").GetString()!, e.GetProperty("message").GetString()!))
            .ToList();
    }
}
