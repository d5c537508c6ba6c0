using System.Collections.Immutable;
using Gantry.Server.Kernel;
using Xunit;

namespace Gantry.Tests.Kernel;

public sealed class ResourceVectorTests
{
    [Fact]
    public void Vectors_built_apart_with_the_same_amounts_are_equal()
    {
        var gpus = ImmutableSortedDictionary<string, long>.Empty.Add("nvidia.com/gpu", 1);
        var left = new ResourceVector(1000, 1 << 20, 0, 1, gpus);
        var right = new ResourceVector(1000, 1 << 20, 0, 1, ImmutableSortedDictionary<string, long>.Empty.Add("nvidia.com/gpu", 1));

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Fact]
    public void An_extended_resource_used_up_equals_one_never_offered()
    {
        var gpu = new ResourceVector(0, 0, 0, 0, ImmutableSortedDictionary<string, long>.Empty.Add("nvidia.com/gpu", 1));

        Assert.Equal(ResourceVector.Zero, gpu.Subtract(gpu));
    }

    [Fact]
    public void Vectors_that_differ_in_one_extended_resource_are_not_equal()
    {
        var one = new ResourceVector(0, 0, 0, 0, ImmutableSortedDictionary<string, long>.Empty.Add("nvidia.com/gpu", 1));

        Assert.NotEqual(ResourceVector.Zero, one);
    }
}
