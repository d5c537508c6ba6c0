using System.Text;
using Gantry.Agent.Simulated;
using Xunit;

namespace Gantry.Tests.Agent.Simulated;

public sealed class PodWatchEventTests
{
    private const string Pod =
        """{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","uid":"u-1","resourceVersion":"42","labels":{"uid":"not-this"}},"spec":{"containers":[{"name":"c","image":"i"}],"nodeName":"n7"},"status":{"phase":"Running","nodeName":"no"}}""";

    [Fact]
    public void An_event_names_its_type_pod_node_phase_and_version()
    {
        var watched = PodWatchEvent.Parse(Encoding.UTF8.GetBytes($$"""{"type":"MODIFIED","object":{{Pod}}}"""));

        Assert.Equal("MODIFIED", watched.Type);
        Assert.Equal("p", watched.Name);
        Assert.Equal("u-1", watched.Uid);
        Assert.Equal("n7", watched.NodeName);
        Assert.Equal("Running", watched.Phase);
        Assert.Equal("42", watched.ResourceVersion);
        Assert.False(watched.Deleting);
    }

    [Fact]
    public void The_pods_place_in_the_line_is_the_whole_object()
    {
        var line = Encoding.UTF8.GetBytes($$"""{"type":"ADDED","object":{{Pod}}}""");

        var watched = PodWatchEvent.Parse(line);

        Assert.Equal(Pod, Encoding.UTF8.GetString(line[watched.Object]));
    }

    [Fact]
    public void A_deletion_timestamp_marks_the_pod_as_being_deleted()
    {
        var deleting = Pod.Replace("\"resourceVersion\":\"42\"", "\"resourceVersion\":\"42\",\"deletionTimestamp\":\"2026-11-27T08:00:00Z\"", StringComparison.Ordinal);

        var watched = PodWatchEvent.Parse(Encoding.UTF8.GetBytes($$"""{"type":"MODIFIED","object":{{deleting}}}"""));

        Assert.True(watched.Deleting);
    }

    [Fact]
    public void A_bookmark_has_a_version_and_no_pod()
    {
        var watched = PodWatchEvent.Parse("""{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"99"}}}"""u8);

        Assert.Equal("BOOKMARK", watched.Type);
        Assert.Equal("99", watched.ResourceVersion);
        Assert.Null(watched.Uid);
        Assert.Null(watched.NodeName);
    }
}
