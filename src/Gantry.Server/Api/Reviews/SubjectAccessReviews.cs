using System.Text.Json.Nodes;
using Gantry.Core.Validation;
using Gantry.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api.Reviews;

/// <summary>
/// The access reviews a component sends about another user, as kube-apiserver serves them
/// (pkg/registry/authorization/{subjectaccessreview,localsubjectaccessreview}): SubjectAccessReview at the cluster
/// scope and LocalSubjectAccessReview in a namespace, both in authorization.k8s.io/v1, created and answered but never
/// stored. The user judged is the one the spec names, with only the groups it names (kube adds no
/// <c>system:authenticated</c>), by the same <see cref="AccessReview"/> the self reviews use. The answer is the posted
/// object with its <c>status</c>, 201 Created: <c>allowed</c> and the authorizer's <c>reason</c> (RBAC's names the
/// binding that allowed), and never <c>denied</c>, since no authorizer here denies outright.
/// </summary>
public sealed class SubjectAccessReviews(AccessReview access, RequestAuthorizer authorizer)
{
    private const string LocalPlural = "localsubjectaccessreviews";

    public static bool Matches(string[] segments) =>
        segments is ["apis", SelfSubjectReviews.AuthorizationGroup, "v1", "subjectaccessreviews"]
            or ["apis", SelfSubjectReviews.AuthorizationGroup, "v1", "namespaces", _, LocalPlural];

    public async Task HandleAsync(HttpContext context, string[] segments)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(segments);
        var ns = segments is [.., "namespaces", var name, LocalPlural] ? name : null;
        // As the apiserver's filters: sending one is itself authorized, create on the review's resource.
        authorizer.Authorize(context, new ResourcePath(ns is null ? ReviewTypes.SubjectAccessReview : ReviewTypes.LocalSubjectAccessReview, ns, null, null));
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var review = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        await HttpResponses.WriteJsonAsync(context, 201, ns is null ? Answer(review) : AnswerLocal(review, ns)).ConfigureAwait(false);
    }

    /// <summary>A SubjectAccessReview answered: kube's ValidateSubjectAccessReview (422), then the decision.</summary>
    /// <exception cref="ApiException">422 Invalid.</exception>
    public JsonObject Answer(JsonObject review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var spec = review["spec"] as JsonObject;
        var errors = SpecErrors(spec);
        if (!AccessReviewSpec.IsEmptyMetadata(review["metadata"]))
        {
            errors.Add(FieldErrors.InvalidStruct(FieldPath.Root.Child("metadata"), "must be empty"));
        }

        ThrowIfInvalid(ReviewTypes.SubjectAccessReview.Kind, errors);
        return Answered(review, spec!, new JsonObject { ["creationTimestamp"] = null });
    }

    /// <summary>
    /// A LocalSubjectAccessReview sent to <paramref name="ns"/>: its metadata takes the request's namespace, as the
    /// apiserver's create handler gives it (400 when it names another); then kube's ValidateLocalSubjectAccessReview,
    /// under which the resource attributes must name that namespace, empty not excepted, and non-resource attributes
    /// are refused.
    /// </summary>
    /// <exception cref="ApiException">400 BadRequest, 422 Invalid.</exception>
    public JsonObject AnswerLocal(JsonObject review, string ns)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentException.ThrowIfNullOrEmpty(ns);
        var metadata = review["metadata"] as JsonObject;
        if (metadata?["namespace"] is JsonValue named && named.TryGetValue<string>(out var given) && given.Length > 0 && given != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var spec = review["spec"] as JsonObject;
        var errors = SpecErrors(spec);
        if (!AccessReviewSpec.IsEmptyMetadata(metadata, "namespace"))
        {
            errors.Add(FieldErrors.InvalidStruct(FieldPath.Root.Child("metadata"), "must be empty except for namespace"));
        }

        if (AccessReviewSpec.Resource(spec) is { } resource && (AccessReviewSpec.Text(resource, "namespace") ?? "") != ns)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("spec", "resourceAttributes", "namespace"), AccessReviewSpec.Text(resource, "namespace") ?? "", "must match metadata.namespace"));
        }

        if (AccessReviewSpec.NonResource(spec) is not null)
        {
            errors.Add(FieldErrors.InvalidStruct(FieldPath.Of("spec", "nonResourceAttributes"), "disallowed on this kind of request"));
        }

        ThrowIfInvalid(ReviewTypes.LocalSubjectAccessReview.Kind, errors);
        return Answered(review, spec!, new JsonObject { ["namespace"] = ns, ["creationTimestamp"] = null });
    }

    /// <summary>kube's ValidateSubjectAccessReviewSpec.</summary>
    private static List<FieldError> SpecErrors(JsonObject? spec)
    {
        var errors = new List<FieldError>();
        AccessReviewSpec.ValidateAttributes(spec, errors);
        var user = User(spec);
        if (user.Length == 0 && Groups(spec).Count == 0)
        {
            errors.Add(FieldErrors.Invalid(AccessReviewSpec.SpecPath.Child("user"), user, "at least one of user or group must be specified"));
        }

        return errors;
    }

    private static void ThrowIfInvalid(string kind, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(SelfSubjectReviews.AuthorizationGroup, kind, "", errors);
        }
    }

    private JsonObject Answered(JsonObject review, JsonObject spec, JsonObject metadata)
    {
        var subject = new RequestUser(User(spec), Groups(spec));
        review["metadata"] = metadata;
        review["status"] = AccessReviewSpec.Status(access, subject, spec);
        return review;
    }

    private static string User(JsonObject? spec) =>
        spec?["user"] is JsonValue value && value.TryGetValue<string>(out var user) ? user : "";

    private static List<string> Groups(JsonObject? spec) =>
        spec?["groups"] is JsonArray groups ? [.. groups.OfType<JsonValue>().Select(g => g.TryGetValue<string>(out var group) ? group : "")] : [];
}
