using System.Text;
using Gantry.Agent.Streaming;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class ExecStatusTests
{
    [Fact]
    public void A_non_zero_exit_becomes_the_status_kubectl_turns_into_its_exit_code()
    {
        var status = ExecStatus.NonZeroExitCode(["sh", "-c", "exit 2"], 2);

        Assert.Equal(
            """{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 2], exit code 2","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}""",
            Encoding.UTF8.GetString(status.ToJson()));
    }

    [Fact]
    public void Success_is_a_bare_success_status()
    {
        Assert.Equal("""{"metadata":{},"status":"Success"}""", Encoding.UTF8.GetString(ExecStatus.Success.ToJson()));
    }

    [Fact]
    public void Quotes_in_commands_stay_readable_and_valid_json()
    {
        var json = Encoding.UTF8.GetString(ExecStatus.NonZeroExitCode(["sh", "-c", "echo \"it's\" && exit 1"], 1).ToJson());

        Assert.Contains("""[sh -c echo \"it's\" && exit 1]""", json, StringComparison.Ordinal);
        Assert.NotNull(System.Text.Json.JsonDocument.Parse(json));
    }

    [Theory]
    [InlineData("v5.channel.k8s.io", """{"metadata":{},"status":"Success"}""")]
    [InlineData("v4.channel.k8s.io", """{"metadata":{},"status":"Success"}""")]
    [InlineData("v3.channel.k8s.io", "")]
    [InlineData("channel.k8s.io", "")]
    public void Protocols_before_v4_say_nothing_on_success(string protocol, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(ExecStatus.Success.Encode(protocol)));
    }

    [Fact]
    public void Protocols_before_v4_carry_only_the_message_of_a_failure()
    {
        Assert.Equal(
            "Internal error occurred: no such container",
            Encoding.UTF8.GetString(ExecStatus.InternalError("no such container").Encode("v2.channel.k8s.io")));
    }
}
