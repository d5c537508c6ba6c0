using Gantry.Agent.Streaming;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class StreamProtocolsTests
{
    [Theory]
    [InlineData(new[] { "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io" }, "v4.channel.k8s.io")]
    [InlineData(new[] { "v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io" }, "v5.channel.k8s.io")]
    [InlineData(new[] { "channel.k8s.io", "v5.channel.k8s.io" }, "v5.channel.k8s.io")]
    [InlineData(new[] { "v2.channel.k8s.io, v3.channel.k8s.io" }, "v3.channel.k8s.io")]
    [InlineData(new[] { "v9.channel.k8s.io" }, null)]
    public void The_newest_protocol_both_sides_speak_is_chosen(string[] offered, string? chosen)
    {
        Assert.Equal(chosen, StreamProtocols.Negotiate(offered, StreamProtocols.RemoteCommandOverSpdy));
    }

    [Fact]
    public void WebSocket_exec_speaks_only_the_binary_protocols_with_exit_codes()
    {
        Assert.Null(StreamProtocols.Negotiate(["base64.channel.k8s.io", "channel.k8s.io"], StreamProtocols.RemoteCommandOverWebSocket));
        Assert.Equal("v4.channel.k8s.io", StreamProtocols.Negotiate(["v4.channel.k8s.io"], StreamProtocols.RemoteCommandOverWebSocket));
    }

    [Fact]
    public void The_websocket_accept_key_follows_rfc_6455()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", StreamingUpgrade.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
