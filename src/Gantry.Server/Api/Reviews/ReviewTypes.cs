using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Api.Reviews;

/// <summary>
/// The review types as discovery announces them, create only: they are answered (<see cref="SelfSubjectReviews"/>,
/// <see cref="SubjectAccessReviews"/>, <see cref="TokenReviews"/>) and never stored, so they are not in the resource
/// catalog. LocalSubjectAccessReview is the one namespaced among them.
/// </summary>
public static class ReviewTypes
{
    public static readonly IReadOnlyList<string> Verbs = ["create"];

    public static ResourceType SubjectAccessReview { get; } =
        Review(SelfSubjectReviews.AuthorizationGroup, "SubjectAccessReview", "subjectaccessreviews");

    public static ResourceType LocalSubjectAccessReview { get; } =
        Review(SelfSubjectReviews.AuthorizationGroup, "LocalSubjectAccessReview", "localsubjectaccessreviews", namespaced: true);

    public static ResourceType TokenReview { get; } = Review(SelfSubjectReviews.AuthenticationGroup, "TokenReview", "tokenreviews");

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Review(SelfSubjectReviews.AuthenticationGroup, "SelfSubjectReview", "selfsubjectreviews"),
        TokenReview,
        LocalSubjectAccessReview,
        Review(SelfSubjectReviews.AuthorizationGroup, "SelfSubjectAccessReview", "selfsubjectaccessreviews"),
        Review(SelfSubjectReviews.AuthorizationGroup, "SelfSubjectRulesReview", "selfsubjectrulesreviews"),
        SubjectAccessReview,
    ];

    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        [(SelfSubjectReviews.AuthenticationGroup, "v1"), (SelfSubjectReviews.AuthorizationGroup, "v1")];

    public static bool Includes(ResourceType type) => type.Group is SelfSubjectReviews.AuthenticationGroup or SelfSubjectReviews.AuthorizationGroup;

    private static ResourceType Review(string group, string kind, string plural, bool namespaced = false) =>
        new(group, "v1", kind, plural, "", namespaced, typeof(JsonObject), [], [], []);
}
