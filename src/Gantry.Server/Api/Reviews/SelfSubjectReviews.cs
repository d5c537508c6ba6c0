using System.Text.Json.Nodes;
using Gantry.Core.Validation;
using Gantry.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api.Reviews;

/// <summary>
/// The reviews a user sends about itself, created and answered but never stored, as kube-apiserver serves them:
/// SelfSubjectAccessReview and SelfSubjectRulesReview (<c>kubectl auth can-i</c>, <c>can-i --list</c>) in
/// authorization.k8s.io/v1, and SelfSubjectReview (<c>kubectl auth whoami</c>) in authentication.k8s.io/v1. Each answer
/// is the request's object with its <c>status</c> filled in, 201 Created.
/// </summary>
public sealed class SelfSubjectReviews(AccessReview access)
{
    public const string AuthorizationGroup = "authorization.k8s.io";

    public const string AuthenticationGroup = "authentication.k8s.io";

    public static bool Matches(string[] segments) =>
        segments is ["apis", AuthorizationGroup, "v1", "selfsubjectaccessreviews" or "selfsubjectrulesreviews"]
            or ["apis", AuthenticationGroup, "v1", "selfsubjectreviews"];

    public async Task HandleAsync(HttpContext context, string[] segments)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(segments);
        var (group, plural) = (segments[1], segments[3]);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var user = RequestUser.Of(context);
        if (!user.IsIn(RequestUser.Authenticated))
        {
            throw new ApiException(403, "Forbidden",
                $"{plural}.{group} is forbidden: User \"{user.Name}\" cannot create resource \"{plural}\" in API group \"{group}\" at the cluster scope");
        }

        var review = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        review["status"] = plural switch
        {
            "selfsubjectaccessreviews" => AccessStatus(user, review),
            "selfsubjectrulesreviews" => access.Rules(user, review["spec"]?["namespace"]?.GetValue<string>()),
            _ => new JsonObject { ["userInfo"] = UserInfo(user) },
        };
        review["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        await HttpResponses.WriteJsonAsync(context, 201, review).ConfigureAwait(false);
    }

    /// <summary>kube's ValidateSelfSubjectAccessReview, then the decision (<see cref="AccessReviewSpec.Status"/>).</summary>
    private JsonObject AccessStatus(RequestUser user, JsonObject review)
    {
        var spec = review["spec"] as JsonObject;
        var errors = new List<FieldError>();
        AccessReviewSpec.ValidateAttributes(spec, errors);
        if (!AccessReviewSpec.IsEmptyMetadata(review["metadata"]))
        {
            errors.Add(FieldErrors.InvalidStruct(FieldPath.Root.Child("metadata"), "must be empty"));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(AuthorizationGroup, "SelfSubjectAccessReview", "", errors);
        }

        return AccessReviewSpec.Status(access, user, spec!);
    }

    private static JsonObject UserInfo(RequestUser user) => new()
    {
        ["username"] = user.Name,
        ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]),
    };
}
