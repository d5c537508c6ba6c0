using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;
using Gantry.Agent.Network;
using Gantry.Agent.Runtimes;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Cleanup;

/// <summary>
/// Undoes on the host what an agent made from its state directory, as <c>kubeadm reset</c> and k3s' killall script
/// do: every container it checkpointed is killed and removed, then its pods' cgroups, its sandboxes' network
/// namespaces and whatever is still mounted below the state directory; last, the agent leaves the host's registry.
/// Refused while the agent runs. The state directory itself is left for the caller to delete.
/// </summary>
public sealed class NodeReset(string stateDirectory, ILoggerFactory loggerFactory)
{
    /// <summary>Runs the reset, telling <paramref name="progress"/> what each step did.</summary>
    /// <exception cref="InvalidOperationException">The agent of this state directory is running.</exception>
    public async Task RunAsync(IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        using var agentLock = AgentLock.Acquire(stateDirectory);
        var sandboxes = new PodSandboxes(new CgroupManager(CgroupHierarchies.Detect()));
        var pods = await RemoveContainersAsync(sandboxes, progress, cancellationToken);
        foreach (var pod in pods)
        {
            await sandboxes.RemoveAsync(pod, cancellationToken);
        }

        var network = new PodNetworkOptions { StateDirectory = Path.Combine(stateDirectory, AgentLayout.Network) };
        var names = await SandboxClaims.NamespacesAsync(network, cancellationToken);
        var present = names.Where(NetworkNamespaces.Exists).ToList();
        foreach (var name in present)
        {
            await NetworkNamespaces.DeleteAsync(name, cancellationToken);
        }

        progress.Report($"removed {present.Count} sandbox network namespaces");
        var unmounted = UnmountBelowStateDirectory();
        if (unmounted > 0)
        {
            progress.Report($"unmounted {unmounted} mounts below the state directory");
        }

        AgentRegistry.Host.Remove(stateDirectory);
    }

    private async Task<HashSet<string>> RemoveContainersAsync(PodSandboxes sandboxes, IProgress<string> progress, CancellationToken cancellationToken)
    {
        using var images = new ImageStore(ImageStore.PathIn(stateDirectory));
        var runtimes = NodeRuntimes.Create(stateDirectory, sandboxes, images, loggerFactory, TimeProvider.System).Values;
        var pods = new HashSet<string>(StringComparer.Ordinal);
        var containers = 0;
        foreach (var runtime in runtimes)
        {
            foreach (var handle in await runtime.AdoptAsync(cancellationToken))
            {
                await runtime.StopAsync(handle, TimeSpan.Zero, cancellationToken);
                await runtime.RemoveAsync(handle, cancellationToken);
                pods.Add(handle.PodUid);
                containers++;
            }
        }

        progress.Report($"stopped and removed {containers} containers of {pods.Count} pods");
        return pods;
    }

    /// <summary>
    /// Detaches the tmpfs mounts of the runtime state (see <see cref="VolatileState"/>) and whatever the runtimes did not
    /// (a container whose checkpoint was lost), deepest first.
    /// </summary>
    private int UnmountBelowStateDirectory()
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(stateDirectory)) + "/";
        var unmounted = 0;
        foreach (var mountPoint in MountInfo.MountPoints().Where(m => m.StartsWith(root, StringComparison.Ordinal)).Distinct().OrderByDescending(m => m.Length))
        {
            if (ImageSyscalls.Unmount(mountPoint))
            {
                unmounted++;
            }
        }

        return unmounted;
    }
}
