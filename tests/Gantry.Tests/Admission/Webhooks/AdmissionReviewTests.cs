using System.Text.Json.Nodes;
using Gantry.Server.Admission.Webhooks;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Admission.Webhooks;

/// <summary>The checks of a webhook's answer (kube's <c>VerifyAdmissionResponse</c>) and the Status of a refusal (<c>ToStatusErr</c>).</summary>
public sealed class AdmissionReviewTests
{
    private const string Uid = "0a1b2c3d";

    private static readonly Webhook V1Hook = Hook("v1");
    private static readonly Webhook V1Beta1Hook = Hook("v1beta1");

    [Fact]
    public void An_answer_without_a_response_is_invalid() =>
        Assert.Equal(
            "failed calling webhook \"test.webhooks.gantry.io\": received invalid webhook response: webhook response was absent",
            Assert.Throws<WebhookCallException>(() => AdmissionReview.Response(V1Hook, mutating: false, Uid, new JsonObject())).Message);

    [Fact]
    public void A_v1_answer_for_another_uid_is_invalid() =>
        Assert.EndsWith(
            "expected response.uid=\"0a1b2c3d\", got \"other\"",
            Assert.Throws<WebhookCallException>(() => AdmissionReview.Response(V1Hook, mutating: false, Uid, Answer("admission.k8s.io/v1", "other"))).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_v1_answer_of_another_version_is_invalid() =>
        Assert.EndsWith(
            "expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got admission.k8s.io/v1beta1, Kind=AdmissionReview",
            Assert.Throws<WebhookCallException>(() => AdmissionReview.Response(V1Hook, mutating: false, Uid, Answer("admission.k8s.io/v1beta1", Uid))).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_v1beta1_answer_is_not_checked_for_its_uid()
    {
        var response = AdmissionReview.Response(V1Beta1Hook, mutating: false, Uid, Answer("admission.k8s.io/v1beta1", null));

        Assert.True(response.Allowed);
    }

    [Fact]
    public void A_validating_webhook_may_not_return_a_patch()
    {
        var answer = Answer("admission.k8s.io/v1", Uid);
        answer["response"]!["patch"] = "W10=";

        Assert.EndsWith(
            "validating webhook may not return response.patch",
            Assert.Throws<WebhookCallException>(() => AdmissionReview.Response(V1Hook, mutating: false, Uid, answer)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_v1_patch_needs_its_patch_type()
    {
        var answer = Answer("admission.k8s.io/v1", Uid);
        answer["response"]!["patch"] = "W10=";

        Assert.EndsWith(
            "webhook returned response.patch but not response.patchType",
            Assert.Throws<WebhookCallException>(() => AdmissionReview.Response(V1Hook, mutating: true, Uid, answer)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_mutating_answer_carries_its_decoded_patch_and_warnings()
    {
        var answer = Answer("admission.k8s.io/v1", Uid);
        answer["response"]!["patch"] = "W10=";
        answer["response"]!["patchType"] = "JSONPatch";
        answer["response"]!["warnings"] = new JsonArray("careful");

        var response = AdmissionReview.Response(V1Hook, mutating: true, Uid, answer);

        Assert.Equal("[]"u8.ToArray(), response.Patch);
        Assert.Equal(["careful"], response.Warnings);
    }

    [Fact]
    public void A_refusal_keeps_the_webhooks_code_reason_and_message_led_by_its_name()
    {
        var refusal = WebhookAdmission.Refusal(V1Hook, new JsonObject { ["code"] = 403, ["reason"] = "Forbidden", ["message"] = "not today" });

        Assert.Equal((403, "Forbidden", "admission webhook \"test.webhooks.gantry.io\" denied the request: not today"), (refusal.Code, refusal.Reason, refusal.Message));
    }

    [Fact]
    public void A_refusal_with_a_code_under_400_is_a_400()
    {
        var refusal = WebhookAdmission.Refusal(V1Hook, new JsonObject { ["code"] = 200, ["message"] = "no" });

        Assert.Equal(400, refusal.Code);
    }

    [Fact]
    public void A_refusal_without_a_message_gives_its_reason_or_says_it_has_no_explanation()
    {
        Assert.Equal(
            "admission webhook \"test.webhooks.gantry.io\" denied the request: Conflict",
            WebhookAdmission.Refusal(V1Hook, new JsonObject { ["reason"] = "Conflict" }).Message);
        Assert.Equal("admission webhook \"test.webhooks.gantry.io\" denied the request without explanation", WebhookAdmission.Refusal(V1Hook, null).Message);
    }

    private static JsonObject Answer(string apiVersion, string? uid)
    {
        var response = new JsonObject { ["allowed"] = true };
        if (uid is not null)
        {
            response["uid"] = uid;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "AdmissionReview", ["response"] = response };
    }

    private static Webhook Hook(string reviewVersion) => Webhook.Of("test", new V1ValidatingWebhook
    {
        Name = "test.webhooks.gantry.io",
        ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = "https://127.0.0.1:1/" },
        SideEffects = "None",
        AdmissionReviewVersions = [reviewVersion],
    });
}
