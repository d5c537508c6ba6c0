using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent.Volumes;

/// <summary>
/// A temporary volume root, config maps, secrets, claims and PersistentVolumes held in memory (the API server's
/// stand-in), and a pod whose one container mounts the volumes it is given.
/// </summary>
internal sealed class VolumeTestBed : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("gantry-volumes-").FullName;

    public Dictionary<string, V1ConfigMap> ConfigMaps { get; } = [];

    public Dictionary<string, V1Secret> Secrets { get; } = [];

    public Dictionary<string, V1PersistentVolumeClaim> Claims { get; } = [];

    public Dictionary<string, V1PersistentVolume> PersistentVolumes { get; } = [];

    public PodVolumes Volumes => new(
        new VolumeObjects(
            (_, name, _) => Task.FromResult(ConfigMaps.GetValueOrDefault(name)),
            (_, name, _) => Task.FromResult(Secrets.GetValueOrDefault(name)),
            (_, name, _) => Task.FromResult(Claims.GetValueOrDefault(name)),
            (name, _) => Task.FromResult(PersistentVolumes.GetValueOrDefault(name))),
        Root,
        TimeProvider.System);

    public static V1Pod Pod(IEnumerable<V1Volume> volumes, IEnumerable<V1VolumeMount> mounts, string uid = "pod-1", V1PodSecurityContext? securityContext = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = uid },
        Spec = new V1PodSpec
        {
            Volumes = volumes.ToList(),
            Containers = [new V1Container { Name = "app", VolumeMounts = mounts.ToList() }],
            SecurityContext = securityContext,
        },
    };

    /// <summary>Sets the one volume up, mounted at /v (with the subPath, if any), and returns its mount.</summary>
    public async Task<ContainerMount> MountAsync(V1Volume volume, string? subPath = null, string uid = "pod-1", V1PodSecurityContext? securityContext = null)
    {
        var pod = Pod([volume], [new V1VolumeMount { Name = volume.Name, MountPath = "/v", SubPath = subPath }], uid, securityContext);
        return Assert.Single(await Volumes.MountsAsync(pod, pod.Spec.Containers[0], CancellationToken.None));
    }

    public static async Task<string> ProblemOfAsync(Func<Task> setUp) => (await Assert.ThrowsAsync<VolumeSetupException>(setUp)).Message;

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);

    public void Dispose()
    {
        Volumes.Remove("pod-1");
        Directory.Delete(Root, recursive: true);
    }
}
