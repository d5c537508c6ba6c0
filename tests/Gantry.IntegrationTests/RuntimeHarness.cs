using System.Text;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Oci;
using Gantry.Agent.Runtimes.Processes;

namespace Gantry.IntegrationTests;

/// <summary>
/// A throwaway node for one test: its own state, log and cgroup roots, and cleanup that removes
/// every container and pod cgroup the test created, whether it passed or not.
/// </summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly List<(IContainerRuntime Runtime, ContainerHandle Handle)> _containers = [];
    private readonly List<string> _pods = [];
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(45));

    public RuntimeHarness()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the integration tests run real containers: run them as root, after scripts/bootstrap");
        }

        Root = Path.Combine(Path.GetTempPath(), "gantry-it", Guid.NewGuid().ToString("N")[..12]);
        Cgroups = new CgroupManager(CgroupHierarchies.Detect(), "gantry-it/pods");
        Options = new RuntimeOptions
        {
            StateDirectory = Path.Combine(Root, "state"),
            LogDirectory = Path.Combine(Root, "logs"),
        };
        Process = new ProcessRuntime(Options, new PodSandboxes(Cgroups));
        Images = new ImageStore(Path.Combine(Root, "images"));
        OciOptions = new OciRuntimeOptions { RuncRoot = Path.Combine(Root, "runc") };
        Oci = new OciRuntime(Options, OciOptions, new PodSandboxes(Cgroups), Images);
    }

    public string Root { get; }

    public CgroupManager Cgroups { get; }

    public RuntimeOptions Options { get; }

    public ProcessRuntime Process { get; }

    public ImageStore Images { get; }

    public OciRuntimeOptions OciOptions { get; }

    public OciRuntime Oci { get; }

    public CancellationToken Ct => _deadline.Token;

    public PodSandboxInfo NewPod(CgroupLimits? limits = null, string? networkNamespace = null)
    {
        var uid = Guid.NewGuid().ToString();
        _pods.Add(uid);
        return new PodSandboxInfo
        {
            Uid = uid,
            Name = "pod-" + uid[..8],
            Namespace = "it",
            Limits = limits ?? CgroupLimits.None,
            NetworkNamespacePath = networkNamespace,
        };
    }

    public async Task<ContainerHandle> StartAsync(IContainerRuntime runtime, PodSandboxInfo pod, ContainerSpec container)
    {
        var handle = await runtime.StartAsync(pod, container, Ct);
        Track(runtime, handle);
        return handle;
    }

    public void Track(IContainerRuntime runtime, ContainerHandle handle) => _containers.Add((runtime, handle));

    public async Task<ContainerExited> WaitForExitAsync(IContainerRuntime runtime, ContainerHandle handle)
    {
        while (true)
        {
            if (await runtime.StatusAsync(handle, Ct) is ContainerExited exited)
            {
                return exited;
            }

            await Task.Delay(10, Ct);
        }
    }

    /// <summary>
    /// Sets a terminal session's size to 100 × 30, then lets its command go on with a line on its input (it reads one
    /// first, so that it looks at the terminal after the resize); returns all it wrote.
    /// </summary>
    public static async Task<string> TerminalOutputAfterResizeAsync(IExecSession session, CancellationToken cancellationToken)
    {
        session.Resize(100, 30);
        await session.Stdin.WriteAsync("go\n"u8.ToArray(), cancellationToken);
        await session.Stdin.FlushAsync(cancellationToken);
        return await new StreamReader(session.Stdout).ReadToEndAsync(cancellationToken);
    }

    /// <summary>What the container wrote to its log, without the shim's record headers.</summary>
    public static string LogText(string path) => Encoding.UTF8.GetString(ContainerLogs.ReadContent(path));

    /// <summary>Waits until the container's log contains <paramref name="text"/>; returns the log.</summary>
    public async Task<string> WaitForLogAsync(IContainerRuntime runtime, ContainerHandle handle, string text)
    {
        while (true)
        {
            var log = LogText(runtime.LogPath(handle));
            if (log.Contains(text, StringComparison.Ordinal))
            {
                return log;
            }

            await Task.Delay(10, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var (runtime, handle) in _containers)
        {
            try
            {
                await runtime.RemoveAsync(handle, CancellationToken.None);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        var sandboxes = new PodSandboxes(Cgroups);
        foreach (var pod in _pods)
        {
            try
            {
                await sandboxes.RemoveAsync(pod, CancellationToken.None);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (Exception e)
        {
            failures.Add(e);
        }

        Images.Dispose();
        _deadline.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("cleanup failed", failures);
        }
    }
}
