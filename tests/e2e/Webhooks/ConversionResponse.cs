using System.Text.Json.Nodes;

namespace Gantry.E2E.Webhooks;

/// <summary>
/// What a test conversion webhook answers to one conversion request: the <c>response</c> of an
/// <c>apiextensions.k8s.io</c> ConversionReview, less the <c>uid</c>, which <see cref="TestWebhookServer"/> copies from
/// the request.
/// </summary>
public sealed record ConversionResponse
{
    /// <summary><c>response.result.status</c>: <c>Success</c> when true, <c>Failure</c> when false.</summary>
    public bool Succeeded { get; init; } = true;

    /// <summary><c>response.result.message</c> of a failure; null leaves it out.</summary>
    public string? Message { get; init; }

    /// <summary><c>response.convertedObjects</c>, in the order of the request's <c>objects</c>; left out of a failure.</summary>
    public IReadOnlyList<JsonNode> ConvertedObjects { get; init; } = [];

    /// <summary>Succeeds with <paramref name="objects"/> as the converted objects.</summary>
    public static ConversionResponse Converted(IEnumerable<JsonNode> objects) => new() { ConvertedObjects = [.. objects] };

    /// <summary>Fails the conversion with <paramref name="message"/>.</summary>
    public static ConversionResponse Fail(string message) => new() { Succeeded = false, Message = message };
}
