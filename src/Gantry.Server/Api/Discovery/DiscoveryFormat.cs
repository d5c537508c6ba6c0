namespace Gantry.Server.Api.Discovery;

/// <summary>The shape a discovery answer for <c>/api</c> or <c>/apis</c> takes.</summary>
public enum DiscoveryFormat
{
    /// <summary><c>APIVersions</c> / <c>APIGroupList</c>; the client then walks every group version.</summary>
    Legacy,

    /// <summary><c>apidiscovery.k8s.io/v2</c> <c>APIGroupDiscoveryList</c> (kubectl 1.30 and later).</summary>
    AggregatedV2,

    /// <summary><c>apidiscovery.k8s.io/v2beta1</c> <c>APIGroupDiscoveryList</c> (kubectl 1.27 to 1.29).</summary>
    AggregatedV2Beta1,
}
