using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Api.Reviews;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Gantry.Tests.Security;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Api.Reviews;

/// <summary>What a component is told when it asks whether another user may do something, as kube-apiserver answers it.</summary>
public sealed class SubjectAccessReviewsTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;
    private SubjectAccessReviews _reviews = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        var authorizer = new RequestAuthorizer(new NodeRole(_context.Cache), new StoredRbacPolicy(_context));
        _reviews = new SubjectAccessReviews(new AccessReview(authorizer), authorizer);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_user_a_binding_grants_the_verb_is_allowed_with_the_binding_as_reason_and_the_answer_is_the_review_with_its_status()
    {
        await BindViewAsync("jane");

        var answer = _reviews.Answer(Review(new JsonObject { ["user"] = "jane", ["resourceAttributes"] = Pods("list", "default") }));

        Assert.Equal(
            """{"allowed":true,"reason":"RBAC: allowed by RoleBinding \u0022jane-view/default\u0022 of ClusterRole \u0022view\u0022 to User \u0022jane\u0022"}""",
            answer["status"]!.ToJsonString());
        Assert.Equal("SubjectAccessReview", (string?)answer["kind"]);
        Assert.Equal("""{"creationTimestamp":null}""", answer["metadata"]!.ToJsonString());
    }

    [Fact]
    public async Task A_user_nothing_grants_the_verb_is_not_allowed_nor_denied()
    {
        await BindViewAsync("jane");

        var answer = _reviews.Answer(Review(new JsonObject { ["user"] = "jane", ["resourceAttributes"] = Pods("list", "kube-system") }));

        Assert.Equal("""{"allowed":false}""", answer["status"]!.ToJsonString());
    }

    [Fact]
    public void The_groups_judged_are_those_the_spec_names_and_no_more()
    {
        var discovery = new JsonObject { ["verb"] = "get", ["path"] = "/apis/apps/v1" };

        var inGroup = _reviews.Answer(Review(new JsonObject { ["user"] = "jane", ["groups"] = new JsonArray("system:authenticated"), ["nonResourceAttributes"] = discovery.DeepClone() }));
        var alone = _reviews.Answer(Review(new JsonObject { ["user"] = "jane", ["nonResourceAttributes"] = discovery.DeepClone() }));

        Assert.True((bool)inGroup["status"]!["allowed"]!);
        Assert.False((bool)alone["status"]!["allowed"]!);
    }

    [Fact]
    public void A_non_resource_path_no_rule_names_is_not_allowed()
    {
        var answer = _reviews.Answer(Review(new JsonObject
        {
            ["user"] = "jane",
            ["groups"] = new JsonArray("system:authenticated"),
            ["nonResourceAttributes"] = new JsonObject { ["verb"] = "get", ["path"] = "/debug/pprof" },
        }));

        Assert.False((bool)answer["status"]!["allowed"]!);
    }

    [Fact]
    public void A_spec_with_neither_attribute_kind_is_invalid()
    {
        var error = Assert.Throws<ApiException>(() => _reviews.Answer(Review(new JsonObject { ["user"] = "jane" })));

        Assert.Equal(422, error.Code);
        Assert.Equal(
            "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
            error.Message);
    }

    [Fact]
    public void A_spec_with_both_attribute_kinds_is_invalid()
    {
        var error = Assert.Throws<ApiException>(() => _reviews.Answer(Review(new JsonObject
        {
            ["user"] = "jane",
            ["resourceAttributes"] = Pods("list", "default"),
            ["nonResourceAttributes"] = new JsonObject { ["verb"] = "get", ["path"] = "/api" },
        })));

        Assert.Equal(422, error.Code);
        Assert.Equal(
            "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.nonResourceAttributes: Invalid value: cannot be specified in combination with resourceAttributes",
            error.Message);
    }

    [Fact]
    public void A_spec_naming_neither_user_nor_group_is_invalid()
    {
        var error = Assert.Throws<ApiException>(() => _reviews.Answer(Review(new JsonObject { ["resourceAttributes"] = Pods("list", "default") })));

        Assert.Contains("spec.user: Invalid value: \"\": at least one of user or group must be specified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_review_is_answered_in_the_namespace_it_was_sent_to()
    {
        await BindViewAsync("jane");

        var answer = _reviews.AnswerLocal(Review(new JsonObject { ["user"] = "jane", ["resourceAttributes"] = Pods("list", "default") }, "LocalSubjectAccessReview"), "default");

        Assert.True((bool)answer["status"]!["allowed"]!);
        Assert.Equal("""{"namespace":"default","creationTimestamp":null}""", answer["metadata"]!.ToJsonString());
    }

    [Theory]
    [InlineData("other", "\"other\"")]
    [InlineData(null, "\"\"")]
    public void A_local_review_whose_attributes_name_another_namespace_or_none_is_invalid(string? named, string printed)
    {
        var error = Assert.Throws<ApiException>(() => _reviews.AnswerLocal(
            Review(new JsonObject { ["user"] = "jane", ["resourceAttributes"] = Pods("list", named) }, "LocalSubjectAccessReview"), "default"));

        Assert.Equal(422, error.Code);
        Assert.Equal(
            $"LocalSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: {printed}: must match metadata.namespace",
            error.Message);
    }

    [Fact]
    public void A_local_review_whose_metadata_names_another_namespace_is_a_bad_request()
    {
        var review = Review(new JsonObject { ["user"] = "jane", ["resourceAttributes"] = Pods("list", "default") }, "LocalSubjectAccessReview");
        review["metadata"] = new JsonObject { ["namespace"] = "other" };

        var error = Assert.Throws<ApiException>(() => _reviews.AnswerLocal(review, "default"));

        Assert.Equal(400, error.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", error.Message);
    }

    [Fact]
    public async Task Sending_one_needs_create_on_subjectaccessreviews()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        new RequestUser("jane", [RequestUser.Authenticated]).AttachTo(context);

        var error = await Assert.ThrowsAsync<ApiException>(() => _reviews.HandleAsync(context, ["apis", "authorization.k8s.io", "v1", "subjectaccessreviews"]));

        Assert.Equal(403, error.Code);
        Assert.Equal(
            "subjectaccessreviews.authorization.k8s.io is forbidden: User \"jane\" cannot create resource \"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope",
            error.Message);
    }

    private static JsonObject Review(JsonObject spec, string kind = "SubjectAccessReview") => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = "authorization.k8s.io/v1",
        ["spec"] = spec,
    };

    private static JsonObject Pods(string verb, string? ns)
    {
        var attributes = new JsonObject { ["verb"] = verb, ["resource"] = "pods" };
        if (ns is not null)
        {
            attributes["namespace"] = ns;
        }

        return attributes;
    }

    private Task<JsonObject> BindViewAsync(string user) => _context.CreateAsync(ResourceCatalog.Get("rbac.authorization.k8s.io", "rolebindings"), new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = user + "-view" },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "view" },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = user }),
    });
}
