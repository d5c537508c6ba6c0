using System.Text.Json;
using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>Where Go's regexp, kube-openapi's strfmt and Go's number printing differ from .NET's defaults.</summary>
public sealed class GoCompatibilityTests
{
    [Theory]
    [InlineData(@"^\d+$", "123", true)]
    [InlineData(@"^\d+$", "١٢٣", false)]
    [InlineData(@"^a$", "a\n", false)]
    [InlineData(@"(?m)^a$", "b\na\n", true)]
    [InlineData(@"^(?P<x>[[:alpha:]]+)$", "abc", true)]
    [InlineData(@"^[a[]+$", "a[", true)]
    [InlineData(@"b", "abc", true)]
    [InlineData(@"^\pL+$", "été", true)]
    [InlineData(@"^\Q.*\E$", ".*", true)]
    [InlineData(@"^\Q.*\E$", "ab", false)]
    public void Patterns_mean_what_go_regexp_means(string pattern, string value, bool matches)
    {
        var regex = GoRegex.TryCompile(pattern, out var error);

        Assert.Null(error);
        Assert.Equal(matches, regex!.IsMatch(value));
    }

    [Theory]
    [InlineData("(?=a)")]
    [InlineData(@"(a)\1")]
    public void Patterns_go_cannot_compile_are_reported_as_invalid(string pattern)
    {
        var errors = StructuralValidation.ValidateSchema(
            Schemas.Object("""{"x":"a"}"""), Schemas.Parse("""{"type":"object","properties":{"x":{"type":"string","pattern":""" + JsonSerializer.Serialize(pattern) + "}}}"));

        Assert.StartsWith($"x: Invalid value: \"a\": x in body should match '{pattern}, but pattern is invalid: error parsing regexp: ", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("date", "2024-02-29", true)]
    [InlineData("date", "2023-02-29", false)]
    [InlineData("date-time", "2024-01-01T10:00:00.5+02:00", true)]
    [InlineData("date-time", "2024-01-01T24:00:00Z", false)]
    [InlineData("byte", "aGVsbG8=", true)]
    [InlineData("byte", "hello", false)]
    [InlineData("ipv4", "10.0.0.1", true)]
    [InlineData("ipv4", "::1", false)]
    [InlineData("ipv6", "2001:db8::1", true)]
    [InlineData("cidr", "10.0.0.0/8", true)]
    [InlineData("cidr", "10.0.0.0/33", false)]
    [InlineData("mac", "00:00:5e:00:53:01", true)]
    [InlineData("mac", "00:00:5e:00:53", false)]
    [InlineData("duration", "1h30m", true)]
    [InlineData("duration", "3 days", true)]
    [InlineData("duration", "soon", false)]
    [InlineData("hostname", "example.com", true)]
    [InlineData("hostname", "-bad", false)]
    [InlineData("uri", "https://example.com/a", true)]
    [InlineData("uri", "example.com", false)]
    [InlineData("email", "a@example.com", true)]
    [InlineData("k8s-short-name", "my-name", true)]
    [InlineData("k8s-short-name", "My-Name", false)]
    [InlineData("bsonobjectid", "507f1f77bcf86cd799439011", true)]
    public void String_formats_accept_what_kube_openapi_accepts(string format, string value, bool valid)
    {
        Assert.True(StringFormats.IsSupported(format));
        Assert.Equal(valid, StringFormats.IsValid(format, value));
    }

    [Theory]
    [InlineData(1.0, "1", "1")]
    [InlineData(1.5, "1.5", "1.5")]
    [InlineData(1e21, "1e+21", "1e+21")]
    [InlineData(1e20, "100000000000000000000", "100000000000000000000")]
    [InlineData(0.00001, "1e-05", "0.00001")]
    [InlineData(1e-7, "1e-07", "1e-7")]
    [InlineData(-2.25, "-2.25", "-2.25")]
    public void Floats_print_as_go_prints_them(double value, string formatV, string json)
    {
        Assert.Equal(formatV, GoFloat.FormatV(value));
        Assert.Equal(json, GoFloat.FormatJson(value));
    }
}
