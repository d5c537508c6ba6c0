using Gantry.Server.Monitoring;
using Xunit;

namespace Gantry.Tests.Monitoring;

public sealed class PrometheusTextTests
{
    [Fact]
    public void A_family_has_its_help_and_type_lines_before_its_samples()
    {
        var text = new PrometheusText();

        text.Family("apiserver_storage_objects", "gauge", "Number of stored objects.");
        text.Sample("apiserver_storage_objects", [("resource", "pods")], 3);

        Assert.Equal(
            """
            # HELP apiserver_storage_objects Number of stored objects.
            # TYPE apiserver_storage_objects gauge
            apiserver_storage_objects{resource="pods"} 3

            """,
            text.ToString());
    }

    [Fact]
    public void Label_values_escape_backslashes_quotes_and_newlines()
    {
        var text = new PrometheusText();

        text.Sample("m", [("path", "a\\b\"c\nd")], 1);

        Assert.Equal("m{path=\"a\\\\b\\\"c\\nd\"} 1\n", text.ToString());
    }
}
