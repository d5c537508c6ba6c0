using Xunit;

namespace Gantry.E2E.Harness;

/// <summary>All end-to-end tests share one cluster and run one after another (see xunit.runner.json).</summary>
[CollectionDefinition(Name)]
public sealed class GantryCollection : ICollectionFixture<GantryFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "gantry";
}
