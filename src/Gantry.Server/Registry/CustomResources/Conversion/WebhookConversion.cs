using System.Text.Json.Nodes;
using Gantry.Core.Resources.Conversion;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources.Conversion;

/// <summary>
/// A CustomResourceDefinition's conversion webhook (<c>strategy: Webhook</c>), called as kube's apiextensions-apiserver
/// calls it: the objects not already in the version wanted go together in one ConversionReview (none when all are), to
/// the definition's URL or Service, trusting its <c>caBundle</c>, within 30 seconds (client-go's default for webhooks,
/// sent as <c>?timeout=30s</c>). Each converted object is checked and keeps the original's metadata but for its labels
/// and annotations. A failure is an InternalError that names the kind converted, in kube's words.
/// </summary>
public sealed class WebhookConversion : IVersionConversion
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _storedApiVersion;
    private readonly string _servedApiVersion;
    private readonly string _kind;
    private readonly WebhookClient _client;
    private readonly Admissionregistrationv1WebhookClientConfig _config;
    private readonly string? _reviewVersion;

    public WebhookConversion(V1CustomResourceDefinition definition, string storedApiVersion, string servedApiVersion, WebhookClient client)
    {
        _storedApiVersion = storedApiVersion;
        _servedApiVersion = servedApiVersion;
        _kind = definition.Status?.AcceptedNames?.Kind is { Length: > 0 } accepted ? accepted : definition.Spec.Names.Kind;
        _client = client;
        var webhook = definition.Spec.Conversion.Webhook;
        _config = CustomResourceConversion.ClientConfig(webhook.ClientConfig);
        _reviewVersion = ConversionReview.VersionFor(webhook.ConversionReviewVersions);
    }

    public ValueTask<IReadOnlyList<JsonObject>> FromStorageAsync(IReadOnlyList<JsonObject> stored, CancellationToken cancellationToken) =>
        ConvertAsync(stored, _servedApiVersion, writing: false, cancellationToken);

    public async ValueTask<JsonObject> ToStorageAsync(JsonObject served, CancellationToken cancellationToken)
    {
        // A body that names no version or kind is of the request's, as kube decodes it.
        var body = served;
        if (string.IsNullOrEmpty(ConversionReview.Text(served["apiVersion"])) || string.IsNullOrEmpty(ConversionReview.Text(served["kind"])))
        {
            body = served.DeepClone().AsObject();
            body["apiVersion"] = string.IsNullOrEmpty(ConversionReview.Text(served["apiVersion"])) ? _servedApiVersion : served["apiVersion"]!.DeepClone();
            body["kind"] = string.IsNullOrEmpty(ConversionReview.Text(served["kind"])) ? _kind : served["kind"]!.DeepClone();
        }

        return (await ConvertAsync([body], _storedApiVersion, writing: true, cancellationToken).ConfigureAwait(false))[0];
    }

    public string? StoredFieldLabel(string label) => CustomResourceConversion.StoredFieldLabel(label);

    /// <param name="writing">
    /// Whether a write is converted to the storage version: kube fails such a write with an InternalError, and a read
    /// with the error alone (a 500 of no reason).
    /// </param>
    private async ValueTask<IReadOnlyList<JsonObject>> ConvertAsync(
        IReadOnlyList<JsonObject> objects, string desiredApiVersion, bool writing, CancellationToken cancellationToken)
    {
        var sent = objects.Where(o => ConversionReview.Text(o["apiVersion"]) != desiredApiVersion).ToList();
        if (sent.Count == 0)
        {
            return objects;
        }

        var subject = ConversionReview.GroupVersionKind(ConversionReview.Text(sent[0]["apiVersion"]) ?? "", ConversionReview.Text(sent[0]["kind"]) ?? "");
        Func<string, ApiException> failure = writing ? ApiException.InternalError : ApiException.Unknown;
        if (_reviewVersion is null)
        {
            throw failure("no supported conversion review versions");
        }

        var uid = Guid.NewGuid().ToString();
        JsonNode? answer;
        try
        {
            answer = await _client.PostAsync(_config, Timeout, ConversionReview.Request(_reviewVersion, uid, desiredApiVersion, sent), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (WebhookRequestException e)
        {
            throw failure($"conversion webhook for {subject} failed: {(e.Failure == WebhookFailure.Trust ? "could not get REST client: " : "")}{e.Message}");
        }

        var (converted, error) = ConversionReview.ConvertedObjects(_reviewVersion, uid, answer);
        if (converted is null)
        {
            throw failure($"conversion webhook for {subject} failed: {error}");
        }

        if (converted.Count != sent.Count)
        {
            throw failure($"conversion webhook for {subject} returned {converted.Count} objects, expected {sent.Count}");
        }

        var single = objects.Count == 1;
        var result = new List<JsonObject>(objects.Count);
        var index = 0;
        foreach (var original in objects)
        {
            if (ConversionReview.Text(original["apiVersion"]) == desiredApiVersion)
            {
                result.Add(original);
                continue;
            }

            var (obj, fault, invalid) = ConvertedObject.Check(original, converted[index], desiredApiVersion);
            if (invalid is not null)
            {
                throw failure(Refusal(subject, single, index, fault, invalid));
            }

            result.Add(obj!);
            index++;
        }

        return result;
    }

    /// <summary>
    /// Why a converted object is refused, worded as kube words it for a single object and for a list (whose index it
    /// counts from one once it has read the object, as kube's converter does).
    /// </summary>
    private static string Refusal(string subject, bool single, int index, ConversionFault fault, string invalid) => (single, fault) switch
    {
        (true, ConversionFault.NotAnObject) => $"conversion webhook for {subject} returned invalid object: {invalid}",
        (true, ConversionFault.TypeMeta) => $"conversion webhook for {subject} returned invalid object at index 0: {invalid}",
        (true, ConversionFault.Identity) => $"conversion webhook for {subject} returned invalid object: {invalid}",
        (true, _) => $"conversion webhook for {subject} returned invalid metadata: {invalid}",
        (false, ConversionFault.NotAnObject) => $"conversion webhook for {subject} returned invalid converted object at index {index}: {invalid}",
        (false, ConversionFault.Metadata) => $"conversion webhook for {subject} returned invalid metadata in object at index {index + 1}: {invalid}",
        _ => $"conversion webhook for {subject} returned invalid converted object at index {index + 1}: {invalid}",
    };
}
