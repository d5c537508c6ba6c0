namespace Gantry.E2E.Webhooks;

/// <summary>
/// What a test webhook answers to one admission request: the <c>response</c> of an <c>admission.k8s.io/v1</c>
/// AdmissionReview, less the <c>uid</c>, which <see cref="TestWebhookServer"/> copies from the request.
/// </summary>
public sealed record WebhookResponse
{
    /// <summary><c>response.allowed</c>.</summary>
    public bool Allowed { get; init; } = true;

    /// <summary><c>response.status.code</c>; null leaves it out.</summary>
    public int? Code { get; init; }

    /// <summary><c>response.status.message</c>; null leaves it out.</summary>
    public string? Message { get; init; }

    /// <summary>A JSON Patch (RFC 6902) as JSON text, sent base64-encoded with <c>patchType: JSONPatch</c>; null for none.</summary>
    public string? JsonPatch { get; init; }

    /// <summary><c>response.warnings</c>; empty leaves them out.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Allows the request unchanged.</summary>
    public static WebhookResponse Allow() => new();

    /// <summary>Denies the request with <paramref name="message"/> (status code 403 unless told otherwise).</summary>
    public static WebhookResponse Deny(string message, int code = 403) => new() { Allowed = false, Code = code, Message = message };

    /// <summary>Allows the request, changed by <paramref name="jsonPatch"/> (a JSON array of operations).</summary>
    public static WebhookResponse Patch(string jsonPatch) => new() { JsonPatch = jsonPatch };

    /// <summary>Allows the request and returns <paramref name="warnings"/> to the client.</summary>
    public static WebhookResponse Warn(params string[] warnings) => new() { Warnings = warnings };
}
