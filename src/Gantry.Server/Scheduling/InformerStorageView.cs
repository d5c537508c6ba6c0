using System.Collections.Concurrent;
using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The scheduler's <see cref="IStorageView"/>: claims, volumes and classes from the shared informers, and the volumes
/// its placements have promised to claims, and how, until those placements are bound or given up.
/// </summary>
public sealed class InformerStorageView : IStorageView
{
    private readonly Informer<V1PersistentVolumeClaim> _claims;
    private readonly Informer<V1PersistentVolume> _volumes;
    private readonly Informer<V1StorageClass> _classes;
    private readonly ConcurrentDictionary<string, string> _promised = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClaimBinding> _assumed = new(StringComparer.Ordinal);

    public InformerStorageView(SharedInformers informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _claims = informers.For<V1PersistentVolumeClaim>();
        _volumes = informers.For<V1PersistentVolume>();
        _classes = informers.For<V1StorageClass>();
    }

    public Informer<V1PersistentVolumeClaim> Claims => _claims;

    /// <summary>Calls <paramref name="changed"/> on every change of a claim, a volume or a class.</summary>
    public void OnChange(Action changed)
    {
        _claims.OnChange((_, _) => changed());
        _volumes.OnChange((_, _) => changed());
        _classes.OnChange((_, _) => changed());
    }

    public V1PersistentVolumeClaim? Claim(string ns, string name) => _claims.Get(ns, name);

    public V1PersistentVolume? Volume(string name) => _volumes.Get(null, name);

    public V1StorageClass? Class(string name) => _classes.Get(null, name);

    public IReadOnlyList<V1PersistentVolume> Volumes() => _volumes.List();

    public string? PromisedTo(string volume) => _promised.TryGetValue(volume, out var claim) ? claim : null;

    public ClaimBinding? AssumedFor(string claim) => _assumed.TryGetValue(claim, out var binding) ? binding : null;

    /// <summary>Records a placement's promise for a claim (kube's AssumePodVolumes), and its volume's if it has one.</summary>
    public void Assume(ClaimBinding binding)
    {
        _assumed[binding.ClaimKey] = binding;
        if (binding.Volume is { } volume)
        {
            _promised[volume.Metadata.Name] = binding.ClaimKey;
        }
    }

    /// <summary>Forgets a promise once its claim is bound, or its placement given up.</summary>
    public void Forget(ClaimBinding binding)
    {
        _assumed.TryRemove(new KeyValuePair<string, ClaimBinding>(binding.ClaimKey, binding));
        if (binding.Volume is { } volume)
        {
            _promised.TryRemove(new KeyValuePair<string, string>(volume.Metadata.Name, binding.ClaimKey));
        }
    }
}
