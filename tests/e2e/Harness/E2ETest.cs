using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E.Harness;

/// <summary>
/// Base of every end-to-end test: a kubectl that logs each call to the test output, helpers for the
/// common shapes of a check, and — in the test output — what the server printed while the test ran
/// (xunit shows the output of failing tests).
/// </summary>
[Collection(GantryCollection.Name)]
public abstract class E2ETest : IAsyncLifetime
{
    private readonly List<string> _namespaces = [];
    private int _serverCursor;
    private GantryServer? _serverAtStart;

    /// <summary>Wires the test to the shared cluster.</summary>
    protected E2ETest(GantryFixture fixture, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
        Output = output;
        Kubectl = fixture.CreateKubectl(output.WriteLine);
    }

    /// <summary>The shared cluster.</summary>
    protected GantryFixture Fixture { get; }

    /// <summary>This test's output.</summary>
    protected ITestOutputHelper Output { get; }

    /// <summary>kubectl bound to the cluster.</summary>
    protected Kubectl Kubectl { get; }

    /// <summary>The default deadline for convergence.</summary>
    protected static TimeSpan Patience { get; } = TimeSpan.FromSeconds(20);

    /// <inheritdoc/>
    public Task InitializeAsync()
    {
        _serverAtStart = Fixture.Server;
        _serverCursor = Fixture.Server.OutputLineCount;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        // A test that restarted the server sees all of the new one's output.
        var log = Fixture.Server.OutputSince(ReferenceEquals(Fixture.Server, _serverAtStart) ? _serverCursor : 0, maxLines: 200);
        Output.WriteLine("=== gantry output while this test ran ===");
        Output.WriteLine(log.Length == 0 ? "(none)" : log);

        // The test's namespaces go, without waiting, as Kubernetes' e2e framework deletes its own: the one node has
        // room for 110 pods, and a whole run leaves more than that (pods of images that never pull stay bound).
        foreach (var ns in _namespaces)
        {
            await Kubectl.RunAsync(["delete", "namespace", ns, "--wait=false"], new KubectlOptions { Timeout = TimeSpan.FromSeconds(20) });
        }
    }

    /// <summary>
    /// Creates the test's own namespace <c>e2e-<paramref name="shortName"/></c> and returns its name.
    /// Setup goes through <c>kubectl create -f -</c> (the generic path every kubectl version sends as JSON), so a
    /// test fails for its own behaviour and not for <c>kubectl create namespace</c>, which has its own test.
    /// </summary>
    protected async Task<string> CreateNamespaceAsync(string shortName)
    {
        var ns = "e2e-" + shortName;
        await CreateObjectAsync(null, new { apiVersion = "v1", kind = "Namespace", metadata = new { name = ns } });
        _namespaces.Add(ns);
        return ns;
    }

    /// <summary>Creates a config map with <paramref name="data"/> through <c>kubectl create -f -</c> (see <see cref="CreateNamespaceAsync"/>).</summary>
    protected Task<CommandResult> CreateConfigMapAsync(string ns, string name, params (string Key, string Value)[] data) =>
        CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "ConfigMap",
            metadata = new { name },
            data = data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
        });

    /// <summary><c>kubectl create -f -</c> with <paramref name="manifest"/> serialized as JSON on stdin; requires exit 0.</summary>
    protected async Task<CommandResult> CreateObjectAsync(string? ns, object manifest)
    {
        var args = new List<string> { "create", "-f", "-" };
        if (ns is not null)
        {
            args.AddRange(["-n", ns]);
        }

        return Check.Succeeded(await Kubectl.RunAsync(args, new KubectlOptions { Stdin = JsonSerializer.Serialize(manifest) }));
    }

    /// <summary>Runs kubectl; no expectation about the outcome.</summary>
    protected Task<CommandResult> Run(params string[] args) => Kubectl.RunAsync(args);

    /// <summary>
    /// Waits until an HTTP server in a busybox pod answers on <paramref name="port"/>: Running is the container started, not
    /// the server listening, and kubectl 1.27's port-forward ends at the first forward the pod refuses.
    /// </summary>
    protected Task<CommandResult> WaitForHttpAsync(string ns, string pod, int port) =>
        Eventually.Until(() => Run("exec", pod, "-n", ns, "--", "wget", "-q", "-O", "/dev/null", $"http://127.0.0.1:{port}/"),
            r => r.Succeeded, Patience, $"the HTTP server of {pod} to listen on {port}");

    /// <summary>Runs kubectl and requires exit 0.</summary>
    protected async Task<CommandResult> Ok(params string[] args) => Check.Succeeded(await Kubectl.RunAsync(args));

    /// <summary>Runs kubectl with options and requires exit 0.</summary>
    protected async Task<CommandResult> Ok(KubectlOptions options, params string[] args) => Check.Succeeded(await Kubectl.RunAsync(args, options));

    /// <summary>Runs kubectl and requires a non-zero exit.</summary>
    protected async Task<CommandResult> Fails(params string[] args) => Check.Failed(await Kubectl.RunAsync(args));

    /// <summary><c>kubectl get TARGET -n NS -o jsonpath=PATH</c>, stdout only.</summary>
    protected async Task<string> JsonPath(string ns, string target, string path) =>
        (await Ok("get", target, "-n", ns, "-o", "jsonpath=" + path)).Stdout;

    /// <summary><c>kubectl get ARGS -o json</c>, parsed (ARGS without the <c>get</c>).</summary>
    protected async Task<JsonElement> GetJson(params string[] args)
    {
        var result = await Ok(["get", .. args, "-o", "json"]);
        try
        {
            using var doc = JsonDocument.Parse(result.Stdout);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"kubectl -o json printed something that is not JSON ({ex.Message}).\n{result.Describe()}");
        }
    }

    /// <summary>The names (<c>-o name</c> stripped of the type) of TARGET in NS.</summary>
    protected async Task<IReadOnlyList<string>> Names(string ns, string target, params string[] extra)
    {
        var result = await Ok(["get", target, "-n", ns, "-o", "name", .. extra]);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n[(n.IndexOf('/', StringComparison.Ordinal) + 1)..])];
    }

    /// <summary>The full path of a manifest under tests/e2e/manifests/.</summary>
    protected static string Manifest(string fileName) => RepoPaths.Manifest(fileName);

    /// <summary>A fresh temporary file path under the run's work dir (for manifests the test writes).</summary>
    protected string TempFile(string name)
    {
        var dir = Path.Combine(Fixture.WorkDir, "files", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    /// <summary>Splits a table line into its whitespace-separated cells.</summary>
    /// <summary>The admin token of the fixture's kubeconfig, for requests made with curl.</summary>
    protected string AdminToken()
    {
        var line = File.ReadAllLines(Fixture.KubeconfigPath).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("token:", StringComparison.Ordinal));
        Assert.True(line is not null, "The kubeconfig has no 'token:' line.");
        return line["token:".Length..].Trim().Trim('"');
    }

    protected static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The revision numbers <c>kubectl rollout history</c> lists, in its order.</summary>
    protected static string Revisions(CommandResult history) =>
        string.Join(' ', history.StdoutLines.Select(Cells).Where(c => c.Length > 0 && long.TryParse(c[0], out _)).Select(c => c[0]));
}
