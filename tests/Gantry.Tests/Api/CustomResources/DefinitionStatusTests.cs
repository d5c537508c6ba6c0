using Gantry.Server.Controllers.CustomResources;
using Xunit;

namespace Gantry.Tests.Api.CustomResources;

public sealed class DefinitionStatusTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Names_without_a_conflict_are_accepted_and_the_definition_established_with_its_storage_version_recorded()
    {
        var definition = CustomResourceDefinitions.CronTabs(established: false);

        DefinitionStatus.Accept(definition, null, Now);

        Assert.Equal("crontabs", definition.Status.AcceptedNames.Plural);
        Assert.Contains(definition.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True" && c.Reason == "NoConflicts");
        Assert.Contains(definition.Status.Conditions, c => c.Type == "Established" && c.Status == "True" && c.Reason == "InitialNamesAccepted");
        Assert.Equal(["v1"], definition.Status.StoredVersions);
    }

    [Fact]
    public void A_name_conflict_leaves_a_new_definition_unestablished_with_the_reason()
    {
        var definition = CustomResourceDefinitions.CronTabs(established: false);

        DefinitionStatus.Accept(definition, new CustomResourceDefinitionController.NameConflict("PluralConflict", "\"crontabs\" is already in use"), Now);

        var accepted = Assert.Single(definition.Status.Conditions, c => c.Type == "NamesAccepted");
        Assert.Equal(("False", "PluralConflict", "\"crontabs\" is already in use"), (accepted.Status, accepted.Reason, accepted.Message));
        Assert.Contains(definition.Status.Conditions, c => c.Type == "Established" && c.Status == "False" && c.Reason == "NotAccepted");
    }

    [Fact]
    public void A_condition_keeps_its_transition_time_while_its_status_stays()
    {
        var definition = CustomResourceDefinitions.CronTabs(established: false);
        DefinitionStatus.Accept(definition, null, Now);

        DefinitionStatus.Accept(definition, null, Now.AddHours(1));

        Assert.All(definition.Status.Conditions, c => Assert.Equal(Now, c.LastTransitionTime));
    }

    [Fact]
    public void A_definition_being_cleaned_up_is_marked_terminating()
    {
        var definition = CustomResourceDefinitions.CronTabs();

        DefinitionStatus.Terminate(definition, Now);

        Assert.True(DefinitionStatus.IsTerminating(definition));
        Assert.Contains(definition.Status.Conditions, c => c.Type == "Terminating" && c.Reason == "InstanceDeletionInProgress");
    }
}
