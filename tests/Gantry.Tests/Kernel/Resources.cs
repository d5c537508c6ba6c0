using System.Collections.Immutable;
using Gantry.Server.Kernel;

namespace Gantry.Tests.Kernel;

/// <summary>Short ways to write resource amounts in tests.</summary>
internal static class Resources
{
    public static ResourceVector Of(double cpus, long memMi, long pods = 110) =>
        new((long)(cpus * 1000), memMi * 1024 * 1024, 0, pods, ImmutableSortedDictionary<string, long>.Empty);

    public static ResourceVector Pod(double cpus, long memMi) => Of(cpus, memMi, 1);
}
