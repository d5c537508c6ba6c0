using System.Text.Json.Nodes;
using Gantry.Server.Security;
using Gantry.Server.Security.ServiceAccounts;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api.Reviews;

/// <summary>
/// TokenReview (authentication.k8s.io/v1) as kube-apiserver's tokenreview storage answers it: the token is
/// authenticated by the server's own authenticators (<see cref="TokenAuthentication"/>) for the audiences the spec
/// names, or the server's API audiences when it names none, and the answer is the posted object with its
/// <c>status</c>, 201 Created, whether the token authenticated or not. Nothing is stored.
/// </summary>
public sealed class TokenReviews(TokenAuthentication authentication, RequestAuthorizer authorizer)
{
    /// <summary>What kube's bearer token authenticator says of a token no authenticator accepted.</summary>
    public const string InvalidToken = "invalid bearer token";

    public static bool Matches(string[] segments) => segments is ["apis", SelfSubjectReviews.AuthenticationGroup, "v1", "tokenreviews"];

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // As the apiserver's filters: sending one is itself authorized, create on tokenreviews.
        authorizer.Authorize(context, new ResourcePath(ReviewTypes.TokenReview, null, null, null));
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var review = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        await HttpResponses.WriteJsonAsync(context, 201, Answer(review)).ConfigureAwait(false);
    }

    /// <summary>The review answered; an empty token is kube's 400, checked before anything else.</summary>
    /// <exception cref="ApiException">400 BadRequest.</exception>
    public JsonObject Answer(JsonObject review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var spec = review["spec"] as JsonObject;
        var token = spec?["token"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
        if (token.Length == 0)
        {
            throw ApiException.BadRequest("token is required for TokenReview in authentication");
        }

        IReadOnlyList<string> requested = spec!["audiences"] is JsonArray named
            ? [.. named.OfType<JsonValue>().Select(a => a.TryGetValue<string>(out var audience) ? audience : "")]
            : [];
        var result = authentication.Authenticate(token, requested.Count > 0 ? requested : ServiceAccountTokens.ApiAudiences);
        // Go writes an unset creationTimestamp as null; the rest of the metadata comes back as it was sent.
        if (review["metadata"] is not JsonObject metadata)
        {
            review["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        }
        else if (!metadata.ContainsKey("creationTimestamp"))
        {
            metadata["creationTimestamp"] = null;
        }

        review["status"] = Status(result);
        return review;
    }

    /// <summary>
    /// kube's TokenReviewStatus as Go writes it: <c>authenticated</c>, <c>audiences</c> and <c>error</c> only when set,
    /// <c>user</c> always (empty when the token did not authenticate), and the bearer token authenticator's error first
    /// in kube's list form when an authenticator said more.
    /// </summary>
    private static JsonObject Status(TokenAuthenticationResult result)
    {
        if (result.User is not { } user)
        {
            return new JsonObject
            {
                ["user"] = new JsonObject(),
                ["error"] = result.Error is { } error ? $"[{InvalidToken}, {error}]" : InvalidToken,
            };
        }

        var info = new JsonObject { ["username"] = user.Name };
        if (result.Uid.Length > 0)
        {
            info["uid"] = result.Uid;
        }

        info["groups"] = Strings(user.Groups);
        if (result.Extra.Count > 0)
        {
            info["extra"] = new JsonObject(result.Extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)Strings(e.Value))));
        }

        var status = new JsonObject { ["authenticated"] = true, ["user"] = info };
        if (result.Audiences.Count > 0)
        {
            status["audiences"] = Strings(result.Audiences);
        }

        return status;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
