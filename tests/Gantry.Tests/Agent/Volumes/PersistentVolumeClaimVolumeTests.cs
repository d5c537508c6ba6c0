using Gantry.Agent.Images;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Agent.Volumes.VolumeTestBed;

namespace Gantry.Tests.Agent.Volumes;

/// <summary>
/// A persistentVolumeClaim volume resolved as kubelet's volume manager resolves it and its hostPath or local
/// PersistentVolume made ready. The fsGroup cases chown: they need root, as the agent does.
/// </summary>
public sealed class PersistentVolumeClaimVolumeTests : IDisposable
{
    private const string Unprocessed = "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC team/claim: ";

    private readonly VolumeTestBed bed = new();

    public void Dispose() => bed.Dispose();

    private string InRoot(string name) => Path.Combine(bed.Root, name);

    private static V1Volume Data(bool readOnly = false) =>
        new() { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "claim", ReadOnlyProperty = readOnly } };

    /// <summary>The claim bound to the PersistentVolume <c>pv-1</c>, which has the source given and points back at it.</summary>
    private void Bind(V1PersistentVolumeSpec spec)
    {
        bed.Claims["claim"] = Claim("Bound", "pv-1");
        spec.ClaimRef = new V1ObjectReference { Kind = "PersistentVolumeClaim", NamespaceProperty = "team", Name = "claim", Uid = "claim-uid" };
        bed.PersistentVolumes["pv-1"] = new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pv-1" }, Spec = spec };
    }

    private static V1PersistentVolumeClaim Claim(string phase, string? volumeName) => new()
    {
        Metadata = new V1ObjectMeta { Name = "claim", NamespaceProperty = "team", Uid = "claim-uid" },
        Spec = new V1PersistentVolumeClaimSpec { VolumeName = volumeName },
        Status = new V1PersistentVolumeClaimStatus { Phase = phase },
    };

    private static V1PersistentVolumeSpec HostPath(string path, string? type = null) =>
        new() { HostPath = new V1HostPathVolumeSource { Path = path, Type = type } };

    private static V1PersistentVolumeSpec Local(string path) => new() { Local = new V1LocalVolumeSource { Path = path } };

    private Task<string> ProblemAsync() => ProblemOfAsync(() => bed.MountAsync(Data()));

    [Fact]
    public async Task A_missing_claim_fails_the_mount_in_kubelets_words()
    {
        Assert.Equal(Unprocessed + "failed to fetch PVC from API server: persistentvolumeclaims \"claim\" not found", await ProblemAsync());
    }

    [Fact]
    public async Task A_claim_not_yet_bound_fails_the_mount_until_it_is()
    {
        bed.Claims["claim"] = Claim("Pending", null);

        Assert.Equal(Unprocessed + "PVC is not bound", await ProblemAsync());

        Bind(HostPath(InRoot("volume"), "DirectoryOrCreate"));
        Assert.Equal(InRoot("volume"), (await bed.MountAsync(Data())).HostPath);
    }

    [Fact]
    public async Task A_bound_claim_must_name_its_volume()
    {
        bed.Claims["claim"] = Claim("Bound", null);

        Assert.Equal(Unprocessed + "PVC has empty pvc.Spec.VolumeName", await ProblemAsync());
    }

    [Fact]
    public async Task A_claim_being_deleted_is_not_mounted()
    {
        Bind(HostPath(InRoot("volume"), "DirectoryOrCreate"));
        bed.Claims["claim"].Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Equal(Unprocessed + "PVC is being deleted", await ProblemAsync());
    }

    [Fact]
    public async Task The_volume_must_exist_and_point_back_at_the_claim()
    {
        bed.Claims["claim"] = Claim("Bound", "pv-1");
        Assert.Equal(Unprocessed + "failed to fetch PV pv-1 from API server: persistentvolumes \"pv-1\" not found", await ProblemAsync());

        bed.PersistentVolumes["pv-1"] = new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pv-1" }, Spec = HostPath(InRoot("volume")) };
        Assert.Equal(Unprocessed + "found PV object pv-1 but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim", await ProblemAsync());

        bed.PersistentVolumes["pv-1"].Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "team", Name = "claim", Uid = "an-earlier-claim" };
        Assert.Equal(Unprocessed + "found PV object pv-1 but its pv.Spec.ClaimRef.UID an-earlier-claim does not point to claim.UID claim-uid", await ProblemAsync());
    }

    [Fact]
    public async Task A_hostPath_volume_is_mounted_where_it_is_read_write()
    {
        Directory.CreateDirectory(InRoot("volume"));
        Bind(HostPath(InRoot("volume")));

        var mount = await bed.MountAsync(Data());

        Assert.Equal(InRoot("volume"), mount.HostPath);
        Assert.False(mount.ReadOnly);
    }

    [Fact]
    public async Task DirectoryOrCreate_creates_the_directory_writable_by_every_user_as_local_path_does()
    {
        Bind(HostPath(InRoot("provisioned/pvc-1_team_claim"), "DirectoryOrCreate"));

        await bed.MountAsync(Data());

        Assert.Equal("777", Octal(File.GetUnixFileMode(InRoot("provisioned/pvc-1_team_claim"))));
    }

    [Fact]
    public async Task A_hostPath_type_mismatch_names_the_persistent_volume()
    {
        File.WriteAllText(InRoot("file"), "");
        Bind(HostPath(InRoot("file"), "Directory"));

        Assert.Equal($"MountVolume.SetUp failed for volume \"pv-1\" : hostPath type check failed: {InRoot("file")} is not a directory", await ProblemAsync());
    }

    [Fact]
    public async Task A_local_volume_is_mounted_where_it_is()
    {
        Directory.CreateDirectory(InRoot("disk"));
        Bind(Local(InRoot("disk")));

        Assert.Equal(InRoot("disk"), (await bed.MountAsync(Data())).HostPath);
    }

    [Fact]
    public async Task A_local_volume_whose_path_is_missing_is_not_created()
    {
        Bind(Local(InRoot("disk")));

        Assert.Equal($"MountVolume.GetDeviceMountPath failed for volume \"pv-1\" : path \"{InRoot("disk")}\" does not exist", await ProblemAsync());
        Assert.False(Path.Exists(InRoot("disk")));
    }

    [Fact]
    public async Task A_claim_the_pods_volume_reads_only_is_mounted_read_only()
    {
        Directory.CreateDirectory(InRoot("volume"));
        Bind(HostPath(InRoot("volume")));

        Assert.True((await bed.MountAsync(Data(readOnly: true))).ReadOnly);
    }

    [Fact]
    public async Task A_read_only_volume_mount_of_a_claim_is_read_only()
    {
        Directory.CreateDirectory(InRoot("volume"));
        Bind(HostPath(InRoot("volume")));
        var pod = Pod([Data()], [new V1VolumeMount { Name = "data", MountPath = "/v", ReadOnlyProperty = true }]);

        Assert.True(Assert.Single(await bed.Volumes.MountsAsync(pod, pod.Spec.Containers[0], CancellationToken.None)).ReadOnly);
    }

    [Fact]
    public async Task A_volume_of_another_source_is_refused_by_name()
    {
        Bind(new V1PersistentVolumeSpec { Nfs = new V1NFSVolumeSource { Server = "files", Path = "/exports" }, StorageClassName = "nfs" });

        Assert.Equal("MountVolume.SetUp failed for volume \"pv-1\" : nfs PersistentVolumes are not supported by this agent; only hostPath and local are", await ProblemAsync());
    }

    [Fact]
    public async Task A_block_volume_cannot_be_mounted_as_a_directory()
    {
        Bind(new V1PersistentVolumeSpec { Local = new V1LocalVolumeSource { Path = "/dev/sdb" }, VolumeMode = "Block" });

        Assert.Equal(Unprocessed + "volume data has volumeMode Block, but is specified in volumeMounts", await ProblemAsync());
    }

    [Fact]
    public async Task A_writable_local_volume_is_given_to_the_fsGroup_but_a_hostPath_one_is_not()
    {
        Directory.CreateDirectory(InRoot("disk"));
        Directory.CreateDirectory(InRoot("host"));
        var fsGroup = new V1PodSecurityContext { FsGroup = 2000 };

        Bind(Local(InRoot("disk")));
        await bed.MountAsync(Data(), securityContext: fsGroup);
        Bind(HostPath(InRoot("host")));
        await bed.MountAsync(Data(), uid: "pod-2", securityContext: fsGroup);

        Assert.Equal(2000, ImageSyscalls.Stat(InRoot("disk")).Gid);
        Assert.Equal(0, ImageSyscalls.Stat(InRoot("host")).Gid);
    }

    [Fact]
    public async Task A_local_volume_the_pod_reads_only_keeps_its_group()
    {
        Directory.CreateDirectory(InRoot("disk"));
        Bind(Local(InRoot("disk")));

        var pod = Pod([Data(readOnly: true)], [new V1VolumeMount { Name = "data", MountPath = "/v" }], securityContext: new V1PodSecurityContext { FsGroup = 2000 });
        await bed.Volumes.MountsAsync(pod, pod.Spec.Containers[0], CancellationToken.None);

        Assert.Equal(0, ImageSyscalls.Stat(InRoot("disk")).Gid);
    }
}
