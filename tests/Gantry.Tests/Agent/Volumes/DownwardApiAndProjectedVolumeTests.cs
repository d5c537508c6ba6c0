using k8s.Models;
using Xunit;
using static Gantry.Tests.Agent.Volumes.VolumeTestBed;

namespace Gantry.Tests.Agent.Volumes;

public sealed class DownwardApiAndProjectedVolumeTests : IDisposable
{
    private readonly VolumeTestBed bed = new();

    private static V1DownwardAPIVolumeFile Field(string path, string fieldPath, int? mode = null) =>
        new() { Path = path, FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath }, Mode = mode };

    private async Task<string> MountWithLabelsAsync(V1Volume volume)
    {
        var pod = Pod([volume], [new V1VolumeMount { Name = volume.Name, MountPath = "/etc/podinfo" }]);
        pod.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "web", ["app"] = "shop" };
        pod.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "say \"hi\"\nbye" };
        return Assert.Single(await bed.Volumes.MountsAsync(pod, pod.Spec.Containers[0], CancellationToken.None)).HostPath;
    }

    [Fact]
    public async Task A_fieldRef_item_is_a_file_of_the_fields_value()
    {
        var dir = await MountWithLabelsAsync(new V1Volume
        {
            Name = "podinfo",
            DownwardAPI = new V1DownwardAPIVolumeSource { Items = [Field("name", "metadata.name"), Field("meta/tier", "metadata.labels['tier']", mode: 256)] },
        });

        Assert.Equal("web", File.ReadAllText(Path.Combine(dir, "name")));
        Assert.Equal("web", File.ReadAllText(Path.Combine(dir, "meta/tier")));
        Assert.Equal("..data/meta", new FileInfo(Path.Combine(dir, "meta")).LinkTarget);
    }

    [Fact]
    public async Task Whole_labels_and_annotations_are_quoted_key_value_lines_sorted_by_key()
    {
        var dir = await MountWithLabelsAsync(new V1Volume
        {
            Name = "podinfo",
            DownwardAPI = new V1DownwardAPIVolumeSource { Items = [Field("labels", "metadata.labels"), Field("annotations", "metadata.annotations")] },
        });

        Assert.Equal("app=\"shop\"\ntier=\"web\"", File.ReadAllText(Path.Combine(dir, "labels")));
        Assert.Equal("note=\"say \\\"hi\\\"\\nbye\"", File.ReadAllText(Path.Combine(dir, "annotations")));
    }

    [Fact]
    public async Task A_resourceFieldRef_item_is_refused_by_name()
    {
        var volume = new V1Volume
        {
            Name = "podinfo",
            DownwardAPI = new V1DownwardAPIVolumeSource { Items = [new V1DownwardAPIVolumeFile { Path = "cpu", ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu" } }] },
        };

        var problem = await ProblemOfAsync(() => bed.MountAsync(volume));

        Assert.Contains("resourceFieldRef", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_projected_volume_joins_configMap_secret_and_downwardAPI_files_under_its_default_mode()
    {
        bed.ConfigMaps["settings"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["mode"] = "prod" } };
        bed.Secrets["creds"] = new V1Secret { Data = new Dictionary<string, byte[]> { ["password"] = "hunter2"u8.ToArray() } };
        var dir = await MountWithLabelsAsync(new V1Volume
        {
            Name = "all",
            Projected = new V1ProjectedVolumeSource
            {
                DefaultMode = 288,
                Sources =
                [
                    new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "settings" } },
                    new V1VolumeProjection { Secret = new V1SecretProjection { Name = "creds", Items = [new V1KeyToPath { Key = "password", Path = "db/password" }] } },
                    new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [Field("labels", "metadata.labels")] } },
                    new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "absent", Optional = true } },
                ],
            },
        });

        Assert.Equal("prod", File.ReadAllText(Path.Combine(dir, "mode")));
        Assert.Equal("hunter2", File.ReadAllText(Path.Combine(dir, "db/password")));
        Assert.Equal("app=\"shop\"\ntier=\"web\"", File.ReadAllText(Path.Combine(dir, "labels")));
        Assert.Equal("440", Octal(File.GetUnixFileMode(Path.Combine(dir, "..data", "db/password"))));
    }

    [Fact]
    public async Task A_projected_serviceAccountToken_or_clusterTrustBundle_is_refused_by_name()
    {
        var token = new V1Volume { Name = "token", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token" } }] } };
        var bundle = new V1Volume { Name = "bundle", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ClusterTrustBundle = new V1ClusterTrustBundleProjection { Path = "ca.pem" } }] } };

        Assert.Contains("serviceAccountToken source is not supported", await ProblemOfAsync(() => bed.MountAsync(token)), StringComparison.Ordinal);
        Assert.Contains("clusterTrustBundle source is not supported", await ProblemOfAsync(() => bed.MountAsync(bundle)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_projected_source_that_is_missing_and_not_optional_fails_the_volume()
    {
        var volume = new V1Volume { Name = "all", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { Secret = new V1SecretProjection { Name = "absent" } }] } };

        Assert.Equal("MountVolume.SetUp failed for volume \"all\" : secret \"absent\" not found", await ProblemOfAsync(() => bed.MountAsync(volume)));
    }

    public void Dispose() => bed.Dispose();
}
