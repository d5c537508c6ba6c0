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
        ConvertAsync(stored, _servedApiVersion, cancellationToken);

    public async ValueTask<JsonObject> ToStorageAsync(JsonObject served, CancellationToken cancellationToken)
    {
        // A body that names no version or kind is of the request's, as kube decodes it.
        var body = served;
        if (served["apiVersion"] is null || served["kind"] is null)
        {
            body = served.DeepClone().AsObject();
            body["apiVersion"] ??= _servedApiVersion;
            body["kind"] ??= _kind;
        }

        return (await ConvertAsync([body], _storedApiVersion, cancellationToken).ConfigureAwait(false))[0];
    }

    // Custom resources are selected only by their name and namespace, the same in every version.
    public string? StoredFieldLabel(string label) => label is "metadata.name" or "metadata.namespace" ? label : null;

    private async ValueTask<IReadOnlyList<JsonObject>> ConvertAsync(IReadOnlyList<JsonObject> objects, string desiredApiVersion, CancellationToken cancellationToken)
    {
        var sent = objects.Where(o => ConversionReview.Text(o["apiVersion"]) != desiredApiVersion).ToList();
        if (sent.Count == 0)
        {
            return objects;
        }

        var subject = ConversionReview.GroupVersionKind(ConversionReview.Text(sent[0]["apiVersion"]) ?? "", ConversionReview.Text(sent[0]["kind"]) ?? "");
        if (_reviewVersion is null)
        {
            throw ApiException.InternalError("no supported conversion review versions");
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
            throw ApiException.InternalError($"conversion webhook for {subject} failed: {(e.Failure == WebhookFailure.Trust ? "could not get REST client: " : "")}{e.Message}");
        }

        var (converted, error) = ConversionReview.ConvertedObjects(_reviewVersion, uid, answer);
        if (converted is null)
        {
            throw ApiException.InternalError($"conversion webhook for {subject} failed: {error}");
        }

        if (converted.Count != sent.Count)
        {
            throw ApiException.InternalError($"conversion webhook for {subject} returned {converted.Count} objects, expected {sent.Count}");
        }

        // kube words a single object's errors and a list's apart, and counts a list's from one once an object is read.
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

            var (obj, invalid, invalidMetadata) = ConvertedObject.Check(original, converted[index], desiredApiVersion);
            index++;
            if (invalid is not null)
            {
                throw ApiException.InternalError(single
                    ? $"conversion webhook for {subject} returned invalid object: {invalid}"
                    : $"conversion webhook for {subject} returned invalid converted object at index {index}: {invalid}");
            }

            if (invalidMetadata is not null)
            {
                throw ApiException.InternalError(single
                    ? $"conversion webhook for {subject} returned invalid metadata: {invalidMetadata}"
                    : $"conversion webhook for {subject} returned invalid metadata in object at index {index}: {invalidMetadata}");
            }

            result.Add(obj!);
        }

        return result;
    }
}
