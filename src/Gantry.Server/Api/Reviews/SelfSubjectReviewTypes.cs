using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Api.Reviews;

/// <summary>
/// The review types as discovery announces them, create only: they are answered (<see cref="SelfSubjectReviews"/>)
/// and never stored, so they are not in the resource catalog.
/// </summary>
public static class SelfSubjectReviewTypes
{
    public static readonly IReadOnlyList<string> Verbs = ["create"];

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Review(SelfSubjectReviews.AuthenticationGroup, "SelfSubjectReview", "selfsubjectreviews"),
        Review(SelfSubjectReviews.AuthorizationGroup, "SelfSubjectAccessReview", "selfsubjectaccessreviews"),
        Review(SelfSubjectReviews.AuthorizationGroup, "SelfSubjectRulesReview", "selfsubjectrulesreviews"),
    ];

    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        [(SelfSubjectReviews.AuthenticationGroup, "v1"), (SelfSubjectReviews.AuthorizationGroup, "v1")];

    public static bool Includes(ResourceType type) => type.Group is SelfSubjectReviews.AuthenticationGroup or SelfSubjectReviews.AuthorizationGroup;

    private static ResourceType Review(string group, string kind, string plural) =>
        new(group, "v1", kind, plural, "", false, typeof(JsonObject), [], [], []);
}
