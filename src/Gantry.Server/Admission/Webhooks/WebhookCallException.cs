namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// A webhook that could not be called or did not answer a review (kube's <c>ErrCallingWebhook</c>): its failure policy
/// decides whether the write goes on.
/// </summary>
public sealed class WebhookCallException : Exception
{
    public WebhookCallException()
    {
    }

    public WebhookCallException(string message)
        : base(message)
    {
    }

    public WebhookCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebhookCallException(string webhookName, string reason, Exception? innerException = null)
        : base($"failed calling webhook \"{webhookName}\": {reason}", innerException)
    {
        WebhookName = webhookName;
    }

    public string WebhookName { get; } = "";
}
