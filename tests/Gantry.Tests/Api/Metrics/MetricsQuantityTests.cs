using Gantry.Server.Api.Metrics;
using Xunit;

namespace Gantry.Tests.Api.Metrics;

public sealed class MetricsQuantityTests
{
    [Theory]
    [InlineData(133496537UL, "133496537n")]
    [InlineData(12345000UL, "12345u")]
    [InlineData(250_000_000UL, "250m")]
    [InlineData(1_500_000_000UL, "1500m")]
    [InlineData(2_000_000_000UL, "2")]
    [InlineData(0UL, "0")]
    public void Cpu_is_written_in_nanocores_in_the_canonical_decimal_form(ulong nanoCores, string expected)
    {
        Assert.Equal(expected, MetricsQuantity.NanoCores(nanoCores));
    }

    [Theory]
    [InlineData(1046835200UL, "1022300Ki")]
    [InlineData(1048576UL, "1Mi")]
    [InlineData(1234567UL, "1234567")]
    [InlineData(512UL, "512")]
    [InlineData(1000UL, "1k")]
    [InlineData(0UL, "0")]
    public void Memory_is_written_in_bytes_in_the_canonical_binary_form(ulong bytes, string expected)
    {
        Assert.Equal(expected, MetricsQuantity.Bytes(bytes));
    }

    [Theory]
    [InlineData(133496537UL)]
    [InlineData(250_000_000UL)]
    [InlineData(3_000_000_000UL)]
    public void Cpu_quantities_read_back_as_the_nanocores_they_were_written_from(ulong nanoCores)
    {
        Assert.Equal(nanoCores, MetricsQuantity.ParseNanoCores(MetricsQuantity.NanoCores(nanoCores)));
    }

    [Theory]
    [InlineData(1046835200UL)]
    [InlineData(1234567UL)]
    [InlineData(1000UL)]
    public void Memory_quantities_read_back_as_the_bytes_they_were_written_from(ulong bytes)
    {
        Assert.Equal(bytes, MetricsQuantity.ParseBytes(MetricsQuantity.Bytes(bytes)));
    }
}
