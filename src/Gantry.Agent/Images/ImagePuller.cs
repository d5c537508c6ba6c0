using Gantry.Agent.Images.Registry;

namespace Gantry.Agent.Images;

/// <summary>
/// Makes a container's image present according to its imagePullPolicy, as the kubelet's image
/// manager does: Never uses only what is here, IfNotPresent pulls what is missing, Always asks the
/// registry every time (layers already here are not fetched again). Pulls are serialized, the
/// kubelet's default; failed pulls back off per pod and image.
///
/// One deliberate difference: an image whose name was imported on this node (`gantry image
/// import`, or the built-in busybox) has no registry behind it, so Always uses it as it is instead
/// of failing for want of a registry. That is what makes `kubectl run x --image=busybox` — Always
/// by default — work offline. Images pulled from a registry follow Always strictly.
/// </summary>
public sealed class ImagePuller : IDisposable
{
    private readonly ImageStore _store;
    private readonly RegistryClient _registry;
    private readonly bool _ownsRegistry;
    private readonly TimeProvider _time;
    private readonly PullBackOff _backOff = new();
    private readonly SemaphoreSlim _serial = new(1, 1);

    /// <param name="store">Where images go.</param>
    /// <param name="registry">The registry client; one of its own when null (then disposed with the puller).</param>
    /// <param name="time">The clock for back-off.</param>
    public ImagePuller(ImageStore store, RegistryClient? registry = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _ownsRegistry = registry is null;
        _registry = registry ?? new RegistryClient();
        _time = time ?? TimeProvider.System;
    }

    public ImageStore Store => _store;

    public void Dispose()
    {
        if (_ownsRegistry)
        {
            _registry.Dispose();
        }

        _serial.Dispose();
    }

    /// <summary>
    /// Pulls <paramref name="reference"/> from its registry into the store. Plain HTTP is used for
    /// loopback registries and when <paramref name="insecure"/>; HTTPS otherwise.
    /// </summary>
    /// <exception cref="FormatException">The reference is not a valid image name.</exception>
    /// <exception cref="RegistryException">The registry could not be reached or refused.</exception>
    /// <exception cref="InvalidDataException">What the registry sent does not match its digests.</exception>
    public async Task<PullResult> PullAsync(string reference, bool insecure, IProgress<PullProgress>? progress, CancellationToken cancellationToken) =>
        (await PullTimedAsync(reference, insecure, progress, cancellationToken)).Result;

    /// <summary><see cref="PullAsync"/>, and how long the pull itself took once no other pull held it back.</summary>
    private async Task<(PullResult Result, TimeSpan Pulling)> PullTimedAsync(
        string reference, bool insecure, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var parsed = RegistryReference.Parse(reference);
        await _serial.WaitAsync(cancellationToken);
        try
        {
            var began = _time.GetTimestamp();
            var result = await new RegistryPull(_registry, _store).RunAsync(parsed, insecure, progress, cancellationToken);
            return (result, _time.GetElapsedTime(began));
        }
        finally
        {
            _serial.Release();
        }
    }

    /// <summary>
    /// The kubelet's EnsureImageExists: the image <paramref name="image"/> present in the store under
    /// <paramref name="pullPolicy"/> (defaulted from the tag when empty). <paramref name="backOffKey"/>
    /// scopes the back-off, "podUID_image" in the kubelet. <paramref name="report"/> gets the image manager's
    /// events (Pulling, Pulled, Failed, BackOff, ErrImageNeverPull, InspectFailed).
    /// </summary>
    /// <exception cref="ImagePullException">The image is not present and could not be pulled; its Reason is the container's waiting reason.</exception>
    public async Task<ImageRecord> EnsureAsync(
        string image, string? pullPolicy, string backOffKey, IProgress<PullProgress>? progress, Action<ImageEvent>? report, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        ArgumentNullException.ThrowIfNull(backOffKey);
        var policy = ImagePullPolicy.Resolve(pullPolicy, image);
        var local = await _store.FindOrBuildAsync(image, cancellationToken);
        if (policy == ImagePullPolicy.Never && local is null)
        {
            var message = $"Container image \"{image}\" is not present with pull policy of Never";
            report?.Invoke(new ImageEvent(Warning: true, ImagePullException.ErrImageNeverPull, message));
            throw new ImagePullException(ImagePullException.ErrImageNeverPull, message);
        }

        if (local is not null && (policy != ImagePullPolicy.Always || !local.WasPulledAs(ImageReference.Normalize(image))))
        {
            report?.Invoke(new ImageEvent(Warning: false, "Pulled", $"Container image \"{image}\" already present on machine"));
            return local;
        }

        RegistryReference reference;
        try
        {
            reference = RegistryReference.Parse(image);
        }
        catch (FormatException ex)
        {
            var message = $"Failed to apply default image tag \"{image}\": couldn't parse image reference \"{image}\": {ex.Message}";
            report?.Invoke(new ImageEvent(Warning: true, "InspectFailed", message));
            throw new ImagePullException(ImagePullException.InvalidImageName, message, ex);
        }

        if (_backOff.IsInBackOff(backOffKey, _time.GetUtcNow(), out _))
        {
            var message = $"Back-off pulling image \"{image}\"";
            report?.Invoke(new ImageEvent(Warning: false, "BackOff", message));
            throw new ImagePullException(ImagePullException.ImagePullBackOff, message);
        }

        report?.Invoke(new ImageEvent(Warning: false, "Pulling", $"Pulling image \"{image}\""));
        var began = _time.GetTimestamp();
        try
        {
            var (result, pulling) = await PullTimedAsync(reference.ToString(), insecure: false, progress, cancellationToken);
            _backOff.Collect(_time.GetUtcNow());
            // Pulls are serialized, so a pull may wait for another: kubelet shows the pull's own time and the whole wait.
            report?.Invoke(new ImageEvent(Warning: false, "Pulled",
                $"Successfully pulled image \"{image}\" in {GoDurationText.Of(pulling)} ({GoDurationText.Of(_time.GetElapsedTime(began))} including waiting). Image size: {_store.SizeOf(result.Image)} bytes."));
            return result.Image;
        }
        catch (Exception ex) when (ex is RegistryException or InvalidDataException or IOException or NotSupportedException or System.Text.Json.JsonException)
        {
            _backOff.Failed(backOffKey, _time.GetUtcNow());
            var message = $"failed to pull and unpack image \"{reference}\": {ex.Message}";
            report?.Invoke(new ImageEvent(Warning: true, "Failed", $"Failed to pull image \"{image}\": {message}"));
            throw new ImagePullException(ImagePullException.ErrImagePull, message, ex);
        }
    }
}
