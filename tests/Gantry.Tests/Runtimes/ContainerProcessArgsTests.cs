using Gantry.Agent.Images;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Oci;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ContainerProcessArgsTests
{
    private static readonly ImageConfig Image = new(["/entry"], ["default", "cmd"], [], null, null);

    [Fact]
    public void Without_command_or_args_the_image_decides() =>
        Assert.Equal(["/entry", "default", "cmd"], ContainerProcessArgs.Resolve(Image, new ContainerSpec { Name = "c" }));

    [Fact]
    public void Args_alone_replace_the_images_cmd_and_keep_its_entrypoint() =>
        Assert.Equal(["/entry", "--verbose"], ContainerProcessArgs.Resolve(Image, new ContainerSpec { Name = "c", Args = ["--verbose"] }));

    [Fact]
    public void Command_alone_replaces_entrypoint_and_drops_the_images_cmd() =>
        Assert.Equal(["/bin/other"], ContainerProcessArgs.Resolve(Image, new ContainerSpec { Name = "c", Command = ["/bin/other"] }));

    [Fact]
    public void Command_and_args_replace_both() =>
        Assert.Equal(["sh", "-c", "echo hi"], ContainerProcessArgs.Resolve(Image, new ContainerSpec { Name = "c", Command = ["sh"], Args = ["-c", "echo hi"] }));

    [Fact]
    public void Nothing_to_run_is_an_error() =>
        Assert.Throws<ArgumentException>(() => ContainerProcessArgs.Resolve(ImageConfig.Empty, new ContainerSpec { Name = "c" }));
}
