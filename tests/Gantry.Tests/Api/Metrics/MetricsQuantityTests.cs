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
}
