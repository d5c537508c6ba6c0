using Gantry.Core.Validation;
using Xunit;

namespace Gantry.Tests.Validation;

public sealed class SloppyCidrTests
{
    private static SloppyCidr Parse(string value) => SloppyCidr.TryParse(value, out var cidr) ? cidr : throw new FormatException(value);

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8)]
    [InlineData("10.1.2.3/16", "10.1.0.0", 16)]
    [InlineData("010.001.0.0/016", "10.1.0.0", 16)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("2001:db8::1/32", "2001:db8::", 32)]
    [InlineData("::ffff:10.1.2.3/112", "::ffff:10.1.0.0", 112)]
    public void A_cidr_parses_as_go_s_sloppy_parser_reads_it(string value, string network, int prefixLength)
    {
        var cidr = Parse(value);

        Assert.Equal(network, cidr.Network.ToString());
        Assert.Equal(prefixLength, cidr.PrefixLength);
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.256/8")]
    [InlineData("::/129")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("/8")]
    public void A_value_go_s_sloppy_parser_refuses_does_not_parse(string value)
    {
        Assert.False(SloppyCidr.TryParse(value, out _));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0/16", false)]
    [InlineData("10.0.0.0/16", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/8", "::/64", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.0.0/112", true)]
    [InlineData("::ffff:10.0.0.0/104", "10.1.0.0/16", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::/48", true)]
    public void A_network_contains_the_first_address_of_another_as_go_reads_families(string network, string other, bool contains)
    {
        Assert.Equal(contains, Parse(network).Contains(Parse(other)));
    }
}
