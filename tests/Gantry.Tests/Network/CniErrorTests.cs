using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class CniErrorTests
{
    [Fact]
    public void A_plugin_error_yields_its_code_message_and_details()
    {
        Assert.True(CniError.TryParse("""{"cniVersion":"1.0.0","code":11,"msg":"no IP addresses available","details":"range 10.88.0.0/24"}""", out var error));

        Assert.Equal(new CniError(11, "no IP addresses available", "range 10.88.0.0/24"), error);
    }

    [Fact]
    public void An_error_without_details_has_none()
    {
        Assert.True(CniError.TryParse("""{"code":999,"msg":"Required prevResult missing"}""", out var error));

        Assert.Null(error.Details);
    }

    [Theory]
    [InlineData("")]
    [InlineData("panic: runtime error")]
    [InlineData("""{"msg":"no code"}""")]
    [InlineData("""{"code":"7","msg":"code is a string"}""")]
    public void Output_that_is_not_an_error_object_is_not_taken_for_one(string stdout)
    {
        Assert.False(CniError.TryParse(stdout, out _));
    }

    [Fact]
    public void The_exception_leads_with_the_plugin_command_and_container_then_the_plugins_own_words()
    {
        var invocation = new CniInvocation("bridge", "ADD", "0b4f5a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b", "/var/run/netns/gantry-0b4f5a8e1c2d", "eth0", "");

        var exception = new CniPluginException(invocation, new CniError(11, "no IP addresses available in range set: 10.88.0.1-10.88.0.254", "try later"), new CommandOutput(1, "", " log line \n"));

        Assert.Equal(
            "CNI plugin bridge ADD for container 0b4f5a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b failed (code 11): no IP addresses available in range set: 10.88.0.1-10.88.0.254 (try later)",
            exception.Message);
        Assert.Equal(11, exception.Code);
        Assert.Equal("bridge", exception.Plugin);
        Assert.Equal("ADD", exception.CniCommand);
        Assert.Equal("log line", exception.Stderr);
        Assert.Equal(1, exception.ExitCode);
    }
}
