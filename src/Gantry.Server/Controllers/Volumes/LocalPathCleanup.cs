using k8s.Models;

namespace Gantry.Server.Controllers.Volumes;

/// <summary>
/// The helper pod by which rancher's local-path-provisioner removes a deleted volume's directory on its node: run there
/// as a host process (Gantry's <c>process</c> runtime), with the parent directory mounted where it is on the host, it
/// runs <c>rm -rf</c> on the volume's directory and ends.
/// </summary>
public static class LocalPathCleanup
{
    public const string Namespace = "kube-system";

    private const string Prefix = "helper-pod-delete-";

    public static string PodName(string volumeName) => Prefix + volumeName;

    /// <summary>The volume whose cleanup the pod is, or null for any other pod.</summary>
    public static string? VolumeOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata?.NamespaceProperty == Namespace && pod.Metadata.Name?.StartsWith(Prefix, StringComparison.Ordinal) == true
            ? pod.Metadata.Name[Prefix.Length..]
            : null;
    }

    public static V1Pod Pod(V1PersistentVolume volume, string path, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        var parent = Path.GetDirectoryName(path.TrimEnd('/')) ?? "/";
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = PodName(volume.Metadata.Name),
                NamespaceProperty = Namespace,
                // Collected with its volume, should the provisioner stop before deleting it.
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "PersistentVolume", Name = volume.Metadata.Name, Uid = volume.Metadata.Uid }],
            },
            Spec = new V1PodSpec
            {
                NodeName = nodeName,
                RuntimeClassName = "process",
                RestartPolicy = "Never",
                // It must run on the volume's node whatever that node's taints.
                Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
                Containers =
                [
                    new V1Container
                    {
                        Name = "helper-pod",
                        Image = "busybox",
                        Command = ["rm", "-rf", path],
                        VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = parent }],
                    },
                ],
                Volumes = [new V1Volume { Name = "data", HostPath = new V1HostPathVolumeSource { Path = parent, Type = "DirectoryOrCreate" } }],
            },
        };
    }
}
