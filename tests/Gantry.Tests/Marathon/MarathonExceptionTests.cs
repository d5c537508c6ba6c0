using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class MarathonExceptionTests
{
    [Fact]
    public void An_unknown_app_is_Marathons_404()
    {
        var refusal = MarathonException.UnknownApp("/x");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"message":"App '/x' does not exist"}"""), refusal.Body));
        Assert.Equal(404, refusal.Status);
    }

    [Fact]
    public void The_exceptions_message_is_the_bodys()
    {
        Assert.Equal("Object is not valid", MarathonException.Invalid([("/cpus", "error.expected.jsnumber")]).Message);
    }

    [Fact]
    public void Violations_are_grouped_by_path_in_the_order_first_seen()
    {
        var refusal = MarathonException.Invalid([("/mem", "a"), ("/cpus", "b"), ("/mem", "c")]);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"message":"Object is not valid","details":[{"path":"/mem","errors":["a","c"]},{"path":"/cpus","errors":["b"]}]}
                """),
            refusal.Body));
    }
}
