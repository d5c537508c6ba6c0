using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using k8s.Models;

namespace Gantry.Server.Kernel;

/// <summary>
/// An amount of every schedulable resource: cpu in millicores, memory and ephemeral storage in
/// bytes, pod slots, and extended resources (<c>nvidia.com/gpu</c>) by name. Immutable; the
/// arithmetic the ledger and the allocator are made of. Equal when every amount is, an extended
/// resource that is absent counting as zero.
/// </summary>
public sealed record ResourceVector(long CpuMillis, long MemoryBytes, long EphemeralStorageBytes, long Pods, ImmutableSortedDictionary<string, long> Extended)
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string EphemeralStorage = "ephemeral-storage";
    public const string PodSlots = "pods";

    public static ResourceVector Zero { get; } = new(0, 0, 0, 0, ImmutableSortedDictionary<string, long>.Empty);

    public bool IsZero => CpuMillis == 0 && MemoryBytes == 0 && EphemeralStorageBytes == 0 && Pods == 0 && (Extended.IsEmpty || Extended.Values.All(v => v == 0));

    /// <summary>Reads a Kubernetes resource list (capacity, allocatable, requests); unknown names become extended resources.</summary>
    public static ResourceVector From(IDictionary<string, ResourceQuantity>? list)
    {
        if (list is null || list.Count == 0)
        {
            return Zero;
        }

        long cpu = 0, memory = 0, storage = 0, pods = 0;
        var extended = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var (name, quantity) in list)
        {
            var value = quantity.ToDecimal();
            switch (name)
            {
                case Cpu: cpu = (long)Math.Ceiling(value * 1000); break;
                case Memory: memory = (long)Math.Ceiling(value); break;
                case EphemeralStorage: storage = (long)Math.Ceiling(value); break;
                case PodSlots: pods = (long)value; break;
                default:
                    if (name.Contains('/', StringComparison.Ordinal) || name.StartsWith("hugepages-", StringComparison.Ordinal))
                    {
                        extended[name] = (long)Math.Ceiling(value);
                    }

                    break;
            }
        }

        return new ResourceVector(cpu, memory, storage, pods, extended.ToImmutable());
    }

    public bool Equals(ResourceVector? other) =>
        other is not null
        && CpuMillis == other.CpuMillis && MemoryBytes == other.MemoryBytes && EphemeralStorageBytes == other.EphemeralStorageBytes && Pods == other.Pods
        && ((Extended.IsEmpty && other.Extended.IsEmpty) || SameExtended(other));

    private bool SameExtended(ResourceVector other) =>
        Extended.Keys.Concat(other.Extended.Keys).All(name => Extended.GetValueOrDefault(name) == other.Extended.GetValueOrDefault(name));

    public override int GetHashCode() => HashCode.Combine(CpuMillis, MemoryBytes, EphemeralStorageBytes, Pods);

    public ResourceVector Add(ResourceVector other) => Combine(other, 1);

    public ResourceVector Subtract(ResourceVector other) => Combine(other, -1);

    /// <summary>Each resource the larger of the two: how init containers and containers combine.</summary>
    public ResourceVector Max(ResourceVector other)
    {
        var extended = Extended.ToBuilder();
        foreach (var (name, value) in other.Extended)
        {
            extended[name] = Math.Max(extended.GetValueOrDefault(name), value);
        }

        return new ResourceVector(
            Math.Max(CpuMillis, other.CpuMillis), Math.Max(MemoryBytes, other.MemoryBytes),
            Math.Max(EphemeralStorageBytes, other.EphemeralStorageBytes), Math.Max(Pods, other.Pods), extended.ToImmutable());
    }

    /// <summary>The names of the resources of which <paramref name="free"/> holds less than this asks for; empty when it fits.</summary>
    public IReadOnlyList<string> Shortfalls(ResourceVector free) => FitsIn(free) ? [] : Missing(free);

    /// <summary>
    /// Whether <paramref name="free"/> holds at least this of every resource. Asked of hundreds of nodes per scheduling
    /// decision, so it allocates nothing, not even an enumerator when there are no extended resources.
    /// </summary>
    public bool FitsIn(ResourceVector free)
    {
        if (Pods > free.Pods || CpuMillis > free.CpuMillis || MemoryBytes > free.MemoryBytes || EphemeralStorageBytes > free.EphemeralStorageBytes)
        {
            return false;
        }

        if (Extended.IsEmpty)
        {
            return true;
        }

        foreach (var (name, value) in Extended)
        {
            if (value > free.Extended.GetValueOrDefault(name))
            {
                return false;
            }
        }

        return true;
    }

    private List<string> Missing(ResourceVector free)
    {
        var missing = new List<string>();
        if (Pods > free.Pods)
        {
            missing.Add(PodSlots);
        }

        if (CpuMillis > free.CpuMillis)
        {
            missing.Add(Cpu);
        }

        if (MemoryBytes > free.MemoryBytes)
        {
            missing.Add(Memory);
        }

        if (EphemeralStorageBytes > free.EphemeralStorageBytes)
        {
            missing.Add(EphemeralStorage);
        }

        foreach (var (name, value) in Extended)
        {
            if (value > free.Extended.GetValueOrDefault(name))
            {
                missing.Add(name);
            }
        }

        return missing;
    }

    /// <summary>
    /// The largest share of <paramref name="total"/> this amount takes of any resource: the
    /// "dominant share" of Dominant Resource Fairness. Pod slots do not count; they are not a
    /// resource anyone is short of in the DRF sense.
    /// </summary>
    public double DominantShare(ResourceVector total)
    {
        var share = Math.Max(Ratio(CpuMillis, total.CpuMillis), Ratio(MemoryBytes, total.MemoryBytes));
        share = Math.Max(share, Ratio(EphemeralStorageBytes, total.EphemeralStorageBytes));
        foreach (var (name, value) in Extended)
        {
            share = Math.Max(share, Ratio(value, total.Extended.GetValueOrDefault(name)));
        }

        return share;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"cpus:{CpuMillis / 1000.0:0.###};mem:{MemoryBytes / (1024.0 * 1024):0.#}Mi;pods:{Pods}");
        if (EphemeralStorageBytes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $";disk:{EphemeralStorageBytes / (1024.0 * 1024):0.#}Mi");
        }

        foreach (var (name, value) in Extended)
        {
            text.Append(CultureInfo.InvariantCulture, $";{name}:{value}");
        }

        return text.ToString();
    }

    private static double Ratio(long value, long total) => total <= 0 ? (value > 0 ? 1 : 0) : (double)value / total;

    private ResourceVector Combine(ResourceVector other, int sign)
    {
        var extended = Extended;
        if (other.Extended.Count > 0)
        {
            var builder = Extended.ToBuilder();
            foreach (var (name, value) in other.Extended)
            {
                builder[name] = builder.GetValueOrDefault(name) + (sign * value);
            }

            extended = builder.ToImmutable();
        }

        return new ResourceVector(
            CpuMillis + (sign * other.CpuMillis), MemoryBytes + (sign * other.MemoryBytes),
            EphemeralStorageBytes + (sign * other.EphemeralStorageBytes), Pods + (sign * other.Pods), extended);
    }
}
