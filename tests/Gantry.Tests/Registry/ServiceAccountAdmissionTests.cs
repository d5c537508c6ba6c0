using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class ServiceAccountAdmissionTests : IAsyncLifetime
{
    private const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");

    private RegistryTestContext _context = null!;
    private ServiceAccountAdmission _admission = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _admission = new ServiceAccountAdmission(_context.Cache);
        await _context.CreateAsync(ServiceAccounts, Account("default"));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_pod_that_names_no_account_runs_as_default_and_every_container_mounts_the_api_access_volume()
    {
        var pod = Pod();
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox" }];

        await _admission.AdmitAsync(pod, "default", _context.Ct);

        Assert.Equal("default", pod.Spec.ServiceAccountName);
        var volume = Assert.Single(pod.Spec.Volumes);
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", volume.Name);
        Assert.Equal(420, volume.Projected.DefaultMode);
        Assert.Equal(("token", 3607L), (volume.Projected.Sources[0].ServiceAccountToken.Path, volume.Projected.Sources[0].ServiceAccountToken.ExpirationSeconds));
        Assert.Equal("kube-root-ca.crt", volume.Projected.Sources[1].ConfigMap.Name);
        Assert.Equal("metadata.namespace", volume.Projected.Sources[2].DownwardAPI.Items[0].FieldRef.FieldPath);
        foreach (var container in pod.Spec.InitContainers.Concat(pod.Spec.Containers))
        {
            var mount = Assert.Single(container.VolumeMounts);
            Assert.Equal((volume.Name, MountPath, true), (mount.Name, mount.MountPath, mount.ReadOnlyProperty));
        }
    }

    [Fact]
    public async Task A_pod_that_opts_out_gets_no_volume()
    {
        var pod = Pod();
        pod.Spec.AutomountServiceAccountToken = false;

        await _admission.AdmitAsync(pod, "default", _context.Ct);

        Assert.Null(pod.Spec.Volumes);
    }

    [Fact]
    public async Task An_account_that_opts_out_gives_its_pods_no_volume_unless_a_pod_asks()
    {
        var account = Account("quiet");
        account["automountServiceAccountToken"] = false;
        await _context.CreateAsync(ServiceAccounts, account);
        var silent = Pod("quiet");
        var asking = Pod("quiet");
        asking.Spec.AutomountServiceAccountToken = true;

        await _admission.AdmitAsync(silent, "default", _context.Ct);
        await _admission.AdmitAsync(asking, "default", _context.Ct);

        Assert.Null(silent.Spec.Volumes);
        Assert.Single(asking.Spec.Volumes);
    }

    [Fact]
    public async Task A_process_pod_gets_the_volume_only_when_it_asks_as_its_mount_point_is_the_hosts()
    {
        var pod = Pod();
        pod.Spec.RuntimeClassName = "process";

        await _admission.AdmitAsync(pod, "default", _context.Ct);

        Assert.Null(pod.Spec.Volumes);
    }

    [Fact]
    public async Task A_container_with_its_own_mount_at_the_path_keeps_it()
    {
        var pod = Pod();
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "mine", MountPath = MountPath }];

        await _admission.AdmitAsync(pod, "default", _context.Ct);

        Assert.Equal("mine", Assert.Single(pod.Spec.Containers[0].VolumeMounts).Name);
        Assert.Null(pod.Spec.Volumes);
    }

    [Fact]
    public async Task A_pod_running_as_an_account_that_does_not_exist_is_forbidden_in_kubes_words()
    {
        var refused = await Assert.ThrowsAsync<ApiException>(() => _admission.AdmitAsync(Pod("ghost"), "default", _context.Ct));

        Assert.Equal(403, refused.Code);
        Assert.Equal("pods \"web\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found", refused.Message);
    }

    [Fact]
    public async Task The_accounts_image_pull_secrets_are_a_pods_that_has_none()
    {
        var account = Account("puller");
        account["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "registry" });
        await _context.CreateAsync(ServiceAccounts, account);
        var pod = Pod("puller");

        await _admission.AdmitAsync(pod, "default", _context.Ct);

        Assert.Equal("registry", Assert.Single(pod.Spec.ImagePullSecrets).Name);
    }

    private static JsonObject Account(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    private static V1Pod Pod(string? account = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web" },
        Spec = new V1PodSpec { ServiceAccountName = account, Containers = [new V1Container { Name = "app", Image = "busybox" }] },
    };
}
