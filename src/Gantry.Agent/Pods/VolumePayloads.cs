using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The files of a pod's configMap, secret, downwardAPI and projected volumes: the objects fetched, then laid out by
/// <see cref="KeyedPayload"/> and <see cref="DownwardApiPayload"/>. An optional object that does not exist gives no
/// files, as kubelet sets such a volume up empty.
/// </summary>
internal sealed class VolumePayloads(VolumeObjects objects)
{
    /// <summary>The volume's files, or null when it is not a kind that holds a payload.</summary>
    /// <exception cref="VolumeSetupException">An object or a key it must have is missing, or a source is not supported.</exception>
    public async Task<Dictionary<string, FileProjection>?> OfAsync(V1Pod pod, V1Volume volume, CancellationToken cancellationToken)
    {
        if (volume.ConfigMap is { } configMap)
        {
            return await ConfigMapAsync(pod, volume.Name, configMap.Name, configMap.Items, configMap.DefaultMode, configMap.Optional == true, cancellationToken).ConfigureAwait(false);
        }

        if (volume.Secret is { } secret)
        {
            return await SecretAsync(pod, volume.Name, secret.SecretName, secret.Items, secret.DefaultMode, secret.Optional == true, cancellationToken).ConfigureAwait(false);
        }

        if (volume.DownwardAPI is { } downwardApi)
        {
            return DownwardApiPayload.Of(pod, downwardApi.Items, downwardApi.DefaultMode, volume.Name);
        }

        return volume.Projected is { } projected ? await ProjectedAsync(pod, volume.Name, projected, cancellationToken).ConfigureAwait(false) : null;
    }

    private async Task<Dictionary<string, FileProjection>> ConfigMapAsync(
        V1Pod pod, string volume, string name, IList<V1KeyToPath>? items, int? defaultMode, bool optional, CancellationToken cancellationToken)
    {
        var map = await objects.ConfigMapAsync(pod, name, cancellationToken).ConfigureAwait(false);
        return map is null && optional ? []
            : KeyedPayload.OfConfigMap(map ?? throw new VolumeSetupException(volume, $"configmap \"{name}\" not found"), items, defaultMode, optional, volume);
    }

    private async Task<Dictionary<string, FileProjection>> SecretAsync(
        V1Pod pod, string volume, string name, IList<V1KeyToPath>? items, int? defaultMode, bool optional, CancellationToken cancellationToken)
    {
        var secret = await objects.SecretAsync(pod, name, cancellationToken).ConfigureAwait(false);
        return secret is null && optional ? []
            : KeyedPayload.OfSecret(secret ?? throw new VolumeSetupException(volume, $"secret \"{name}\" not found"), items, defaultMode, optional, volume);
    }

    /// <summary>
    /// The sources' files together, a later source's path over an earlier one's. The first source that fails fails
    /// the volume (kubelet reports every failing source at once; the first is enough to act on).
    /// </summary>
    private async Task<Dictionary<string, FileProjection>> ProjectedAsync(V1Pod pod, string volume, V1ProjectedVolumeSource projected, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var source in projected.Sources ?? [])
        {
            var files = source switch
            {
                { ConfigMap: { } c } => await ConfigMapAsync(pod, volume, c.Name, c.Items, projected.DefaultMode, c.Optional == true, cancellationToken).ConfigureAwait(false),
                { Secret: { } s } => await SecretAsync(pod, volume, s.Name, s.Items, projected.DefaultMode, s.Optional == true, cancellationToken).ConfigureAwait(false),
                { DownwardAPI: { } d } => DownwardApiPayload.Of(pod, d.Items, projected.DefaultMode, volume),
                { ServiceAccountToken: { } t } => await TokenAsync(pod, volume, t, projected.DefaultMode, cancellationToken).ConfigureAwait(false),
                { ClusterTrustBundle: not null } => throw Unsupported(volume, "clusterTrustBundle"),
                _ => throw Unsupported(volume, "this"),
            };
            foreach (var (path, file) in files)
            {
                payload[path] = file;
            }
        }

        return payload;
    }

    private async Task<Dictionary<string, FileProjection>> TokenAsync(
        V1Pod pod, string volume, V1ServiceAccountTokenProjection projection, int? defaultMode, CancellationToken cancellationToken)
    {
        if (objects.TokenAsync is not { } tokens)
        {
            throw Unsupported(volume, "serviceAccountToken");
        }

        string token;
        try
        {
            token = await tokens(pod, projection, cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex)
        {
            throw new VolumeSetupException(volume, $"failed to fetch token: {ex.Response.Content}");
        }

        return new() { [projection.Path] = new FileProjection(System.Text.Encoding.UTF8.GetBytes(token), FileProjection.ModeOf(null, defaultMode)) };
    }

    private static VolumeSetupException Unsupported(string volume, string source) =>
        new(volume, $"projected volume: {source} source is not supported by this agent; only configMap, secret, downwardAPI and serviceAccountToken are");
}
