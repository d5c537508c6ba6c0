using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Registry;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class JsonScratchTests
{
    [Fact]
    public void An_object_is_written_as_its_compact_json()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"web","labels":{"app":"<web>"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""")!;

        Assert.Equal(pod.ToJsonString(), Encoding.UTF8.GetString(JsonScratch.ToArray(pod)));
    }

    [Fact]
    public void An_object_larger_than_the_buffer_is_written_whole()
    {
        var large = new JsonObject { ["data"] = new string('x', 100_000) };

        Assert.Equal(large.ToJsonString(), Encoding.UTF8.GetString(JsonScratch.ToArray(large)));
    }

    [Fact]
    public void A_write_nested_in_another_leaves_the_outer_bytes_intact()
    {
        using var outer = JsonScratch.Rent();
        var written = outer.Write(new JsonObject { ["name"] = "outer" });

        var inner = JsonScratch.ToArray(new JsonObject { ["name"] = "inner" });

        Assert.Equal("""{"name":"outer"}""", Encoding.UTF8.GetString(written.Span));
        Assert.Equal("""{"name":"inner"}""", Encoding.UTF8.GetString(inner));
    }

    [Fact]
    public void A_buffer_given_back_is_reused_by_the_thread()
    {
        JsonScratch first;
        using (first = JsonScratch.Rent())
        {
            first.Write(new JsonObject());
        }

        using var second = JsonScratch.Rent();

        Assert.Same(first, second);
    }
}
