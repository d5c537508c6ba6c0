namespace Gantry.Server.Admission.Webhooks;

/// <summary>Why a webhook's answer could not be had, as kube's webhook clients tell the cases apart in their errors.</summary>
public enum WebhookFailure
{
    /// <summary>The call failed: no connection, a timeout, an answer that is not a success.</summary>
    Call,

    /// <summary>The answer is not JSON.</summary>
    Response,

    /// <summary>The CA bundle does not load, so no client could be made.</summary>
    Trust,
}
