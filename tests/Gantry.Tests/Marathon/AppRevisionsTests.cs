using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>An app's versions read from the revisions the registry holds.</summary>
public sealed class AppRevisionsTests
{
    private const string Owner = "uid-1";

    private static JsonObject Revision(string name, JsonNode? data) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["ownerReferences"] = new JsonArray(new JsonObject { ["uid"] = Owner }),
        },
        ["data"] = data,
        ["revision"] = 1,
    };

    [Fact]
    public void A_revision_without_a_version_in_its_data_is_not_one_of_the_apps_versions()
    {
        var kept = Revision("x.1", new JsonObject { ["id"] = "/x", ["version"] = "2026-01-01T00:00:00.000Z" });

        var versions = AppRevisions.Versions(
            [kept, Revision("x.2", new JsonObject { ["id"] = "/x" }), Revision("x.3", new JsonObject { ["version"] = 3 }), Revision("x.4", null)], Owner);

        Assert.Equal(["x.1"], versions.Select(v => v.Name));
    }
}
