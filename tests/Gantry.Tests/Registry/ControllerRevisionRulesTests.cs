using System.Text.Json;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class ControllerRevisionRulesTests
{
    private readonly IResourceRules _rules = new ControllerRevisionRules();

    private static V1ControllerRevision Revision(string? data = """{"spec":{"template":{"$patch":"replace"}}}""", long revision = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent-5d8f", NamespaceProperty = "default" },
        Data = data is null ? null : JsonDocument.Parse(data).RootElement.Clone(),
        Revision = revision,
    };

    [Fact]
    public void A_revision_with_data_and_a_number_is_valid() => Assert.Empty(_rules.ValidateCreate(Revision()));

    [Fact]
    public void Data_is_mandatory() =>
        Assert.Equal(["data: Required value: data is mandatory"], _rules.ValidateCreate(Revision(data: null)).Select(e => e.ToString()));

    [Fact]
    public void The_revision_number_may_not_be_negative() =>
        Assert.Equal(["revision: Invalid value: -1: must be greater than or equal to 0"], _rules.ValidateCreate(Revision(revision: -1)).Select(e => e.ToString()));

    [Fact]
    public void The_revision_number_may_change_on_update() => Assert.Empty(_rules.ValidateUpdate(Revision(revision: 3), Revision()));

    [Fact]
    public void Data_is_immutable() =>
        Assert.Contains(_rules.ValidateUpdate(Revision(data: """{"spec":{}}"""), Revision()), e => e.ToString().StartsWith("data: Invalid value: ", StringComparison.Ordinal) && e.ToString().EndsWith(": field is immutable", StringComparison.Ordinal));
}
