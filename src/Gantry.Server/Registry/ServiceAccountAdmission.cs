using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// Kubernetes' ServiceAccount admission plugin for new pods: a pod that names no service account runs as
/// <c>default</c>; the one it runs as must exist (the <c>default</c> one is waited for a little, as its controller makes
/// it just after the namespace); the account's image pull secrets are the pod's if it has none; and, unless the pod or
/// the account opts out, every init and regular container mounts a <c>kube-api-access-*</c> projected volume (a bound
/// token, the cluster CA and the namespace) at <c>/var/run/secrets/kubernetes.io/serviceaccount</c>. A process pod
/// runs on the host's filesystem, where that path is not the pod's own, so it gets the volume only when it asks for it
/// (<c>automountServiceAccountToken: true</c>).
/// </summary>
public sealed class ServiceAccountAdmission(WatchCache cache) : IPodAdmission
{
    public const string DefaultName = "default";

    public const string TokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The kubelet asks for tokens of this lifetime: kube's <c>WarnOnlyBoundTokenExpirationSeconds</c>.</summary>
    public const long TokenExpirationSeconds = 3607;

    private const string VolumePrefix = "kube-api-access-";

    /// <summary>kube's live lookups of the default account: ten tries, 100–200 ms apart.</summary>
    private const int DefaultAccountTries = 10;

    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    public async Task AdmitAsync(V1Pod pod, string ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Spec is not { } spec)
        {
            return;
        }

        if (string.IsNullOrEmpty(spec.ServiceAccountName))
        {
            spec.ServiceAccountName = DefaultName;
        }

        var account = await FindAsync(ns, spec.ServiceAccountName, cancellationToken).ConfigureAwait(false)
            ?? throw ApiException.Forbidden(Pods, pod.Metadata?.Name ?? pod.Metadata?.GenerateName,
                $"error looking up service account {ns}/{spec.ServiceAccountName}: serviceaccount \"{spec.ServiceAccountName}\" not found");
        if (ShouldAutomount(account, spec))
        {
            MountToken(spec);
        }

        if ((spec.ImagePullSecrets is null || spec.ImagePullSecrets.Count == 0) && account.ImagePullSecrets is { Count: > 0 } secrets)
        {
            spec.ImagePullSecrets = [.. secrets.Select(s => new V1LocalObjectReference { Name = s.Name })];
        }
    }

    /// <summary>The projected volume kube's plugin adds: the token, the CA from <c>kube-root-ca.crt</c>, the namespace.</summary>
    public static V1ProjectedVolumeSource TokenVolumeSource() => new()
    {
        DefaultMode = 420,
        Sources =
        [
            new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = TokenExpirationSeconds } },
            new V1VolumeProjection
            {
                ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] },
            },
            new V1VolumeProjection
            {
                DownwardAPI = new V1DownwardAPIProjection
                {
                    Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }],
                },
            },
        ],
    };

    private async Task<V1ServiceAccount?> FindAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var tries = name == DefaultName ? DefaultAccountTries : 1;
        for (var attempt = 0; attempt < tries; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100)), cancellationToken).ConfigureAwait(false);
            }

            if (cache.Get(ServiceAccounts.Key(ns, name)) is { } cached)
            {
                return DecodedObjects<V1ServiceAccount>.Of(cached);
            }
        }

        return null;
    }

    private static bool ShouldAutomount(V1ServiceAccount account, V1PodSpec spec) =>
        spec.AutomountServiceAccountToken ?? (spec.RuntimeClassName == "process" ? false : account.AutomountServiceAccountToken ?? true);

    private static void MountToken(V1PodSpec spec)
    {
        var volumeName = spec.Volumes?.FirstOrDefault(v => v.Name.StartsWith(VolumePrefix, StringComparison.Ordinal))?.Name;
        var hasVolume = volumeName is not null;
        volumeName ??= VolumePrefix + GeneratedNames.RandomSuffix();
        var needsVolume = false;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            // A container with its own mount at the path keeps it.
            if (container.VolumeMounts?.Any(m => m.MountPath == TokenMountPath) == true)
            {
                continue;
            }

            container.VolumeMounts ??= [];
            container.VolumeMounts.Add(new V1VolumeMount { Name = volumeName, ReadOnlyProperty = true, MountPath = TokenMountPath });
            needsVolume = true;
        }

        if (!hasVolume && needsVolume)
        {
            spec.Volumes ??= [];
            spec.Volumes.Add(new V1Volume { Name = volumeName, Projected = TokenVolumeSource() });
        }
    }
}
