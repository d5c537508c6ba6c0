using Xunit;

namespace Gantry.E2E.MultiNode;

/// <summary>The tests that run on a <c>gantry dev cluster</c> of three hosts, apart from the single-node cluster.</summary>
[CollectionDefinition(Name)]
public sealed class DevClusterCollection : ICollectionFixture<DevClusterFixture>
{
    public const string Name = "gantry-dev-cluster";
}
