using Gantry.Server.Monitoring;
using Xunit;

namespace Gantry.Tests.Monitoring;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Buckets_are_cumulative_and_a_bound_holds_a_value_equal_to_it()
    {
        var histogram = new LatencyHistogram([0.1, 1]);
        histogram.Observe(0.05);
        histogram.Observe(0.1);
        histogram.Observe(0.5);
        histogram.Observe(7);
        var text = new PrometheusText();

        histogram.WriteTo(text, "d", [("verb", "GET")]);

        Assert.Equal(
            """
            d_bucket{verb="GET",le="0.1"} 2
            d_bucket{verb="GET",le="1"} 3
            d_bucket{verb="GET",le="+Inf"} 4
            d_sum{verb="GET"} 7.65
            d_count{verb="GET"} 4

            """,
            text.ToString());
    }
}
