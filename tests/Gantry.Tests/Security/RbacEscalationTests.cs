using Gantry.Server.Security;
using Xunit;

namespace Gantry.Tests.Security;

/// <summary>The refusal of an escalation, worded as kube's <c>ConfirmNoEscalation</c> words it.</summary>
public sealed class RbacEscalationTests
{
    private static readonly RequestUser Bob = new("bob", ["g1", RequestUser.Authenticated]);

    [Fact]
    public void Rules_held_are_no_escalation() =>
        Assert.Null(RbacEscalation.Refusal(Bob, [new(["*"], [""], ["pods"])], [new(["create"], [""], ["pods"])]));

    [Fact]
    public void The_refusal_names_the_user_its_groups_and_the_rule_missing() =>
        Assert.Equal(
            "user \"bob\" (groups=[\"g1\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" +
            "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"create\"]}",
            RbacEscalation.Refusal(Bob, [new(["get"], [""], ["pods"])], [new(["get", "create"], [""], ["pods"])]));

    [Fact]
    public void The_refusal_ends_with_the_resolution_errors_of_the_users_rules() =>
        Assert.Equal(
            "user \"bob\" (groups=[\"g1\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" +
            "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"create\"]}; resolution errors: " +
            "[clusterroles.rbac.authorization.k8s.io \"gone\" not found roles.rbac.authorization.k8s.io \"lost\" not found]",
            RbacEscalation.Refusal(
                Bob, [], [new(["create"], [""], ["pods"])],
                ["clusterroles.rbac.authorization.k8s.io \"gone\" not found", "roles.rbac.authorization.k8s.io \"lost\" not found"]));

    [Fact]
    public void Missing_verbs_of_one_group_and_resource_are_compacted_into_one_line_and_lines_are_sorted() =>
        Assert.Equal(
            "user \"bob\" (groups=[\"g1\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" +
            "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"s\"], Verbs:[\"get\"]}\n" +
            "{APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"update\" \"delete\"]}\n" +
            "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}",
            RbacEscalation.Refusal(Bob, [], [
                PolicyRule.ForUrls(["get"], "/metrics"),
                new(["update", "delete"], ["apps"], ["deployments"]),
                new(["get"], [""], ["secrets"]) { Names = ["s"] },
            ]));

    [Fact]
    public void Compaction_joins_only_rules_of_one_group_and_resource_with_nothing_but_verbs()
    {
        var compacted = RbacRuleCompaction.Compact([
            new(["get"], [""], ["pods"]),
            new(["get"], [""], ["secrets"]) { Names = ["s"] },
            new(["list"], [""], ["pods"]),
            new(["delete"], [""], ["secrets"]) { Names = ["s"] },
            new(["get"], ["apps"], ["pods"]),
        ]);

        Assert.Equal(
            ["{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"s\"], Verbs:[\"get\"]}",
             "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"s\"], Verbs:[\"delete\"]}",
             "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}",
             "{APIGroups:[\"apps\"], Resources:[\"pods\"], Verbs:[\"get\"]}"],
            compacted.Select(RbacRuleText.Compact));
    }

    [Fact]
    public void The_compact_text_quotes_as_go_does() =>
        Assert.Equal("{APIGroups:[\"a\\\"b\"], Resources:[\"x\\\\y\"], Verbs:[\"get\"]}", RbacRuleText.Compact(new(["get"], ["a\"b"], ["x\\y"])));

    [Fact]
    public void Full_authority_covers_every_rule() =>
        Assert.Null(RbacEscalation.Refusal(Bob, RbacEscalation.FullAuthority, [
            new(["escalate"], ["rbac.authorization.k8s.io"], ["clusterroles"]) { Names = ["admin"] },
            PolicyRule.ForUrls(["post"], "/debug/flags/v"),
        ]));
}
