using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Gantry.E2E.Harness;

/// <summary>
/// Base of end-to-end tests that run pods on the cluster's single node: pods are bound with
/// <c>spec.nodeName</c> (there is no scheduler yet), and the test, on the same machine as the agent,
/// can look at the pods' processes and cgroups from the host.
/// </summary>
public abstract class PodTest(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    /// <summary>How long a pod may take to start (the first busybox pod imports the image).</summary>
    protected static TimeSpan StartPatience { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The name of the node.</summary>
    protected async Task<string> NodeNameAsync() =>
        (await Ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).Stdout.Trim();

    /// <summary>Creates a one-container pod on the node running <c>sh -c SCRIPT</c> in busybox (or on the host, for the process runtime).</summary>
    protected async Task CreatePodAsync(string ns, string name, string? runtimeClass, string script, object? container = null, object? spec = null)
    {
        var node = await NodeNameAsync();
        var containerJson = Merge(new { name = "main", image = "busybox", command = new[] { "sh", "-c", script } }, container);
        var specJson = Merge(new { nodeName = node, runtimeClassName = runtimeClass, terminationGracePeriodSeconds = 2, containers = new[] { containerJson } }, spec);
        await CreateObjectAsync(ns, new { apiVersion = "v1", kind = "Pod", metadata = new { name }, spec = specJson });
    }

    /// <summary><see cref="CreatePodAsync"/>, then waits for the pod to run.</summary>
    protected async Task RunPodAsync(string ns, string name, string? runtimeClass, string script, object? container = null, object? spec = null)
    {
        await CreatePodAsync(ns, name, runtimeClass, script, container, spec);
        await WaitForPhaseAsync(ns, name, "Running");
    }

    /// <summary>Waits with <c>kubectl wait</c> for the pod's phase.</summary>
    protected async Task WaitForPhaseAsync(string ns, string name, string phase) =>
        await Ok(new KubectlOptions { Timeout = StartPatience + TimeSpan.FromSeconds(10) },
            "wait", $"--for=jsonpath={{.status.phase}}={phase}", $"pod/{name}", "-n", ns, $"--timeout={(int)StartPatience.TotalSeconds}s");

    /// <summary>Waits until the pod's log contains <paramref name="text"/>.</summary>
    protected Task<CommandResult> WaitForLogAsync(string ns, string name, string text) =>
        Eventually.Until(() => Run("logs", name, "-n", ns), r => r.Stdout.Contains(text, StringComparison.Ordinal), Patience, $"\"{text}\" in the log of {name}");

    /// <summary>Requires the node's Ready condition to be True.</summary>
    protected async Task AssertNodeReadyAsync()
    {
        var node = await NodeNameAsync();
        Check.Equal("True", (await Ok("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).Stdout.Trim(), "the node's Ready condition");
    }

    /// <summary>The first container's status, parsed.</summary>
    protected async Task<JsonElement> ContainerStatusAsync(string ns, string name)
    {
        var pod = await GetJson("pod", name, "-n", ns);
        return pod.GetProperty("status").TryGetProperty("containerStatuses", out var statuses) && statuses.GetArrayLength() > 0
            ? statuses[0]
            : default;
    }

    /// <summary>
    /// The host processes whose command line is exactly <paramref name="argv"/>, with their start
    /// times (field 22 of /proc/PID/stat), which tell a process from a later one with its PID. A child
    /// such a process has forked and not yet replaced by exec (a shell starting <c>sleep</c>) has the
    /// same command line for a moment; it is not counted.
    /// </summary>
    protected static IReadOnlyList<(int Pid, long StartTime)> HostProcessesRunning(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var found = new List<(int Pid, int Parent, long StartTime)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).TrimEnd('\0').Split('\0');
                if (arguments.SequenceEqual(argv, StringComparer.Ordinal))
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    found.Add((pid, int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture)));
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        var pids = found.Select(p => p.Pid).ToHashSet();
        return found.Where(p => !pids.Contains(p.Parent)).Select(p => (p.Pid, p.StartTime)).ToList();
    }

    /// <summary>
    /// The host cgroup directory of a pod's only container in the hierarchy of <paramref name="controller"/>
    /// (cgroup v1), or in the unified hierarchy (v2); null when neither exists.
    /// </summary>
    protected static string? ContainerCgroup(string podUid, string controller)
    {
        foreach (var root in new[] { $"/sys/fs/cgroup/{controller}", "/sys/fs/cgroup", "/sys/fs/cgroup/unified" })
        {
            var pod = Path.Combine(root, "gantry", "pods", podUid);
            if (Directory.Exists(pod) && Directory.EnumerateDirectories(pod).ToList() is [var container] &&
                File.Exists(Path.Combine(container, $"{controller}.current")))
            {
                return container;
            }
        }

        return null;
    }

    private static JsonElement Merge(object baseObject, object? extra)
    {
        var merged = JsonSerializer.SerializeToNode(baseObject)!.AsObject();
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject().ToList())
            {
                merged[key] = value?.DeepClone();
            }
        }

        return JsonSerializer.SerializeToElement(merged);
    }
}
