using Gantry.Server.Api.Discovery;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class DiscoveryNegotiationTests
{
    private const string Kubectl130Accept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private const string Kubectl127Accept =
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public void Kubectl_1_30_and_later_get_aggregated_v2()
    {
        var format = DiscoveryNegotiation.Choose(Kubectl130Accept);

        Assert.Equal(DiscoveryFormat.AggregatedV2, format);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
            DiscoveryNegotiation.ContentTypeOf(format));
    }

    [Fact]
    public void Kubectl_1_27_gets_aggregated_v2beta1()
    {
        var format = DiscoveryNegotiation.Choose(Kubectl127Accept);

        Assert.Equal(DiscoveryFormat.AggregatedV2Beta1, format);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
            DiscoveryNegotiation.ContentTypeOf(format));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json, */*")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/vnd.kubernetes.protobuf")]
    public void Clients_that_name_no_aggregated_format_get_legacy_json(string? accept)
    {
        var format = DiscoveryNegotiation.Choose(accept);

        Assert.Equal(DiscoveryFormat.Legacy, format);
        Assert.Equal("application/json", DiscoveryNegotiation.ContentTypeOf(format));
    }

    [Fact]
    public void Plain_json_listed_first_wins_over_aggregated()
    {
        var format = DiscoveryNegotiation.Choose(
            "application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");

        Assert.Equal(DiscoveryFormat.Legacy, format);
    }

    [Fact]
    public void Quality_values_outrank_header_order()
    {
        var format = DiscoveryNegotiation.Choose(
            "application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");

        Assert.Equal(DiscoveryFormat.AggregatedV2, format);
    }

    [Fact]
    public void Responses_carry_the_content_type_of_the_format_chosen()
    {
        var aggregated = DiscoveryResponses.Apis(Kubectl130Accept);
        var legacy = DiscoveryResponses.Api("application/json", "10.0.0.1:6443");

        Assert.Equal(DiscoveryNegotiation.AggregatedV2ContentType, aggregated.ContentType);
        Assert.Equal("application/json", legacy.ContentType);
    }
}
