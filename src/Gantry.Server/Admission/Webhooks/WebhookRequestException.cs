namespace Gantry.Server.Admission.Webhooks;

/// <summary>A webhook's answer could not be had; the caller says which webhook in its own words (admission, conversion).</summary>
public sealed class WebhookRequestException : Exception
{
    public WebhookRequestException()
    {
    }

    public WebhookRequestException(string message)
        : base(message)
    {
    }

    public WebhookRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebhookRequestException(WebhookFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public WebhookFailure Failure { get; }
}
