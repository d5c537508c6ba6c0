using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ContainerEnvironmentTests
{
    [Fact]
    public void Without_a_path_the_default_path_comes_first() =>
        Assert.Equal([ContainerEnvironment.DefaultPath, "A=1"], ContainerEnvironment.Merge([], [new EnvVar("A", "1")]));

    [Fact]
    public void The_last_definition_of_a_name_wins_in_the_place_of_the_first() =>
        Assert.Equal(
            ["PATH=/bin", "A=3", "B=2"],
            ContainerEnvironment.Merge(["PATH=/bin", "A=1"], [new EnvVar("B", "2"), new EnvVar("A", "3")]));

    [Fact]
    public void Image_variables_without_a_value_are_kept_empty() =>
        Assert.Equal(["PATH=/bin", "EMPTY="], ContainerEnvironment.Merge(["PATH=/bin", "EMPTY"], []));
}
