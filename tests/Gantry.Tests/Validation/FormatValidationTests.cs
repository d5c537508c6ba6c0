using Gantry.Core.Validation;
using Xunit;

namespace Gantry.Tests.Validation;

public sealed class FormatValidationTests
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    [Theory]
    [InlineData("web")]
    [InlineData("web-1.example.com")]
    [InlineData("0")]
    public void Subdomain_accepts_lowercase_dotted_names(string name) =>
        Assert.Empty(FormatValidation.IsDns1123Subdomain(name));

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("-web")]
    [InlineData("web.")]
    [InlineData("")]
    public void Subdomain_rejects_other_names_with_the_apimachinery_message(string name) =>
        Assert.Equal([SubdomainMessage], FormatValidation.IsDns1123Subdomain(name));

    [Fact]
    public void Subdomain_longer_than_253_characters_is_too_long()
    {
        var messages = FormatValidation.IsDns1123Subdomain(new string('a', 254));

        Assert.Equal(["must be no more than 253 characters"], messages);
    }

    [Fact]
    public void Label_rejects_uppercase_with_the_label_message()
    {
        Assert.Equal(
            ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
            FormatValidation.IsDns1123Label("Web"));
    }

    [Fact]
    public void Label_with_dots_is_told_it_must_not_contain_dots()
    {
        Assert.Equal(["must not contain dots"], FormatValidation.IsDns1123Label("a.b"));
    }

    [Fact]
    public void Label_longer_than_63_characters_is_too_long()
    {
        Assert.Equal(["must be no more than 63 characters"], FormatValidation.IsDns1123Label(new string('a', 64)));
    }

    [Fact]
    public void Dns1035_label_must_start_with_a_letter()
    {
        Assert.Equal(
            ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"],
            FormatValidation.IsDns1035Label("1web"));
    }

    [Theory]
    [InlineData("app")]
    [InlineData("app.kubernetes.io/name")]
    [InlineData("My_Key.1")]
    public void Qualified_name_accepts_label_keys(string key) =>
        Assert.Empty(FormatValidation.IsQualifiedName(key));

    [Fact]
    public void Qualified_name_reports_the_prefix_part()
    {
        Assert.Equal(["prefix part " + SubdomainMessage], FormatValidation.IsQualifiedName("Example.com/app"));
    }

    [Fact]
    public void Qualified_name_with_two_slashes_is_not_a_qualified_name()
    {
        var message = Assert.Single(FormatValidation.IsQualifiedName("a/b/c"));

        Assert.StartsWith("a qualified name must consist of alphanumeric characters", message);
        Assert.EndsWith("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')", message);
    }

    [Fact]
    public void Qualified_name_with_empty_name_part_is_reported_twice_as_apimachinery_does()
    {
        Assert.Equal(2, FormatValidation.IsQualifiedName("example.com/").Count);
        Assert.Equal("name part must be non-empty", FormatValidation.IsQualifiedName("example.com/")[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1.2_3-x")]
    public void Label_value_may_be_empty_or_name_shaped(string value) =>
        Assert.Empty(FormatValidation.IsValidLabelValue(value));

    [Fact]
    public void Label_value_longer_than_63_characters_is_too_long()
    {
        Assert.Contains("must be no more than 63 characters", FormatValidation.IsValidLabelValue(new string('v', 64)));
    }

    [Theory]
    [InlineData("http", 0)]
    [InlineData("HTTP", 2)]
    [InlineData("a--b", 1)]
    [InlineData("-ab", 1)]
    [InlineData("123", 1)]
    [InlineData("this-name-is-too-long", 1)]
    public void Port_names_follow_iana_service_name_rules(string name, int problems) =>
        Assert.Equal(problems, FormatValidation.IsValidPortName(name).Count);

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Port_numbers_outside_the_range_are_rejected(int port) =>
        Assert.Equal(["must be between 1 and 65535, inclusive"], FormatValidation.IsValidPortNum(port));

    [Theory]
    [InlineData("10.0.0.1", 0)]
    [InlineData("2001:db8::1", 0)]
    [InlineData("10.0.0", 1)]
    [InlineData("nonsense", 1)]
    public void Ip_addresses_must_be_valid_and_canonical(string ip, int problems) =>
        Assert.Equal(problems, FormatValidation.IsValidIP(ip).Count);

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("010.000.000.001", true)]
    [InlineData("0001.2.3.4", true)]
    [InlineData("[::1]", false)]
    [InlineData("2001:db8::1", true)]
    [InlineData("10.1", false)]
    [InlineData("123", false)]
    [InlineData("0x7f.0.0.1", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("10.0.0.256", false)]
    public void Sloppy_ip_parsing_reads_only_dotted_quads_and_ipv6_as_go_does(string value, bool isIp) =>
        Assert.Equal(isIp, FormatValidation.IsSloppyIp(value));

    [Fact]
    public void Config_map_keys_may_not_start_with_two_dots()
    {
        Assert.Equal(["must not start with '..'"], FormatValidation.IsConfigMapKey("..data"));
    }
}
