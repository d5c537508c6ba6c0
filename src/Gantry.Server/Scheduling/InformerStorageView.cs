using System.Collections.Concurrent;
using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The scheduler's <see cref="IStorageView"/>: claims, volumes and classes from the shared informers, and the volumes
/// its placements have promised to claims until those placements are bound or given up.
/// </summary>
public sealed class InformerStorageView : IStorageView
{
    private readonly Informer<V1PersistentVolumeClaim> _claims;
    private readonly Informer<V1PersistentVolume> _volumes;
    private readonly Informer<V1StorageClass> _classes;
    private readonly ConcurrentDictionary<string, string> _promised = new(StringComparer.Ordinal);

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

    public void Promise(string volume, string claim) => _promised[volume] = claim;

    public void Release(string volume) => _promised.TryRemove(volume, out _);
}
