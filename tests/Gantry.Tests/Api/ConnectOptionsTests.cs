using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace Gantry.Tests.Api;

/// <summary>A CONNECT's options object as kube decodes it from the query, for the webhooks that see the connection.</summary>
public sealed class ConnectOptionsTests
{
    [Fact]
    public void An_exec_keeps_each_command_argument_whole_commas_included()
    {
        var options = ConnectOptions.Of("exec", Query(("command", ["sh", "-c", "echo a,b"]), ("stdout", ["true"]), ("container", ["main"])));

        Assert.Equal(
            """{"apiVersion":"v1","kind":"PodExecOptions","stdout":true,"container":"main","command":["sh","-c","echo a,b"]}""",
            options.ToJsonString());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("0", false)]
    [InlineData("False", false)]
    public void A_stream_flag_is_true_unless_it_says_0_or_false(string value, bool expected) =>
        Assert.Equal(expected, ConnectOptions.Of("attach", Query(("stdin", [value])))["stdin"]!.GetValue<bool>());

    [Fact]
    public void A_port_forward_reads_each_ports_value_as_a_comma_separated_list()
    {
        var options = ConnectOptions.Of("portforward", Query(("ports", ["8080,9090", "7070"])));

        Assert.Equal("""{"apiVersion":"v1","kind":"PodPortForwardOptions","ports":[8080,9090,7070]}""", options.ToJsonString());
    }

    private static QueryCollection Query(params (string Key, string[] Values)[] values) =>
        new(values.ToDictionary(v => v.Key, v => new StringValues(v.Values)));
}
