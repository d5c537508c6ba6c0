using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary><c>kubectl delete</c> by name, file, label and <c>--all</c>; <c>kubectl wait --for=delete</c>.</summary>
[Collection(GantryCollection.Name)]
public sealed class DeleteTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly string[] Labelled = ["drop-1", "drop-2", "keep"];

    [Fact]
    public async Task Delete_by_name_removes_the_object()
    {
        var ns = await CreateNamespaceAsync("del-name");
        await CreateConfigMapAsync(ns, "gone", ("k", "v"));

        var result = await Ok("delete", "configmap", "gone", "-n", ns);

        Check.StdoutContains(result, "configmap \"gone\" deleted");
        var get = await Fails("get", "configmap", "gone", "-n", ns);
        Check.StderrContains(get, "configmaps \"gone\" not found");
    }

    [Fact]
    public async Task Delete_by_file_removes_the_objects_in_it()
    {
        var ns = await CreateNamespaceAsync("del-file");
        await Ok("create", "-f", Manifest("configmaps-delete-by-file.yaml"), "-n", ns);
        await CreateConfigMapAsync(ns, "bystander", ("k", "v"));

        var result = await Ok("delete", "-f", Manifest("configmaps-delete-by-file.yaml"), "-n", ns);

        Check.StdoutContains(result, "configmap \"from-file-a\" deleted");
        Check.StdoutContains(result, "configmap \"from-file-b\" deleted");
        var left = await Names(ns, "configmaps");
        Assert.DoesNotContain("from-file-a", left);
        Assert.DoesNotContain("from-file-b", left);
        Assert.Contains("bystander", left);
    }

    [Fact]
    public async Task Delete_by_label_removes_only_the_matching_objects()
    {
        var ns = await CreateNamespaceAsync("del-label");
        await Ok("create", "-f", Manifest("configmaps-labelled.yaml"), "-n", ns);

        var result = await Ok("delete", "configmaps", "-n", ns, "-l", "app=drop");

        Check.StdoutContains(result, "configmap \"drop-1\" deleted");
        Check.StdoutContains(result, "configmap \"drop-2\" deleted");
        Assert.Equal(["keep"], (await Names(ns, "configmaps")).Intersect(Labelled));
    }

    [Fact]
    public async Task Delete_all_removes_every_object_of_the_type_and_nothing_else()
    {
        var ns = await CreateNamespaceAsync("del-all");
        await Ok("create", "-f", Manifest("configmaps-labelled.yaml"), "-n", ns);
        await CreateObjectAsync(ns, new { apiVersion = "v1", kind = "Secret", metadata = new { name = "survivor" }, stringData = new { k = "v" } });

        await Ok("delete", "configmaps", "--all", "-n", ns);

        Assert.Empty((await Names(ns, "configmaps")).Intersect(Labelled));
        Assert.Equal(["survivor"], await Names(ns, "secrets", "--field-selector", "metadata.name=survivor"));
    }

    [Fact]
    public async Task Wait_for_delete_returns_once_the_pod_is_gone()
    {
        var ns = await CreateNamespaceAsync("wait-delete");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        await using var deletion = Kubectl.Start(["delete", "pod", "web", "-n", ns]);
        var waited = await Kubectl.RunAsync(["wait", "--for=delete", "pod/web", "-n", ns, "--timeout=30s"], new KubectlOptions { Timeout = TimeSpan.FromSeconds(45) });

        Check.Succeeded(waited);
        Check.Succeeded(await deletion.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Check.StderrContains(await Fails("get", "pod", "web", "-n", ns), "pods \"web\" not found");
    }

    [Fact]
    public async Task Wait_for_delete_blocks_until_the_last_finalizer_is_removed()
    {
        var ns = await CreateNamespaceAsync("wait-finalizer");
        await Ok("create", "-f", Manifest("pod-finalizer.yaml"), "-n", ns);
        await Ok("delete", "pod", "held", "-n", ns, "--wait=false");
        var marked = await GetJson("pod", "held", "-n", ns);
        Assert.False(string.IsNullOrEmpty(Json.Text(marked, "metadata.deletionTimestamp")),
            "A deleted pod with a finalizer must stay, marked with metadata.deletionTimestamp:\n" + marked);

        // -v=6 logs each request once answered: when the wait's LIST is answered, its watch starts from that list's
        // resourceVersion, so the deletion below reaches it whether or not the watch request has arrived yet.
        await using var wait = Kubectl.Start(["wait", "--for=delete", "pod/held", "-n", ns, "--timeout=30s", "-v=6"]);
        await wait.WaitForOutputAsync(
            (_, err) => err.Split('\n').Any(l => l.Contains("fieldSelector=metadata.name%3Dheld", StringComparison.Ordinal)
                && !l.Contains("watch=true", StringComparison.Ordinal) && l.Contains("200 OK", StringComparison.Ordinal)),
            Patience, "kubectl wait to list the pod it waits for");
        Assert.False(wait.HasExited, "kubectl wait returned while the pod still existed.\n" + wait.Snapshot().Describe());

        await Ok("patch", "pod", "held", "-n", ns, "--type", "json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");

        var gone = await Eventually.Until(
            () => Run("get", "pod", "held", "-n", ns, "-o", "json"), r => r.ExitCode != 0, Patience,
            "the pod (deletionTimestamp set, grace period 0) to disappear once its last finalizer was removed", r => r.Describe());
        Check.StderrContains(gone, "pods \"held\" not found");
        var done = await wait.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Check.Succeeded(done);
        Check.StdoutContains(done, "pod/held condition met");
    }
}
