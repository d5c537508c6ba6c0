using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources.Conversion;

/// <summary>How a CustomResourceDefinition's versions convert: by <c>apiVersion</c> alone (strategy <c>None</c>) or by its webhook.</summary>
public static class CustomResourceConversion
{
    public const string WebhookStrategy = "Webhook";

    /// <summary>Whether the definition's versions hold the same fields, so that an object changes only its apiVersion.</summary>
    public static bool ByApiVersion(V1CustomResourceDefinition definition) => definition.Spec?.Conversion?.Strategy != WebhookStrategy;

    /// <summary>The conversion between the objects stored and those of <paramref name="servedApiVersion"/>.</summary>
    /// <param name="webhooks">The client a conversion webhook is called with; required when the definition has one.</param>
    public static IVersionConversion For(V1CustomResourceDefinition definition, string storedApiVersion, string servedApiVersion, WebhookClient? webhooks)
    {
        if (ByApiVersion(definition))
        {
            return new ApiVersionConversion(storedApiVersion, servedApiVersion);
        }

        return new WebhookConversion(
            definition, storedApiVersion, servedApiVersion,
            webhooks ?? throw new InvalidOperationException($"the conversion webhook of {definition.Metadata?.Name} cannot be called without a client"));
    }

    /// <summary>
    /// A custom resource written in <paramref name="version"/>, as kube's decoder reads it before its storage converts
    /// it to the storage version: unknown fields pruned and reported as the field validation asks, defaults filled in,
    /// then checked for values of the wrong type for the version's schema. Its other checks and its CEL rules are left to
    /// the write, which has the object updated that transition rules and ratcheting need.
    /// </summary>
    /// <exception cref="ApiException">The body is malformed, has fields the validation refuses, or breaks the schema.</exception>
    public static JsonObject DecodeWritten(ResourceType version, JsonObject body, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(options);
        var decoded = ObjectDecoder.ToNode(ObjectDecoder.Decode(version, body, options.FieldValidation, options.Warnings));
        var errors = version.Custom!.ValidateTypes(decoded);
        return errors.Count > 0 ? throw ApiException.Invalid(version, ObjectMetadata.Name(decoded) ?? "", errors) : decoded;
    }

    /// <summary>The stored objects' field a field selector names: custom resources are selected only by their name and namespace, the same in every version.</summary>
    public static string? StoredFieldLabel(string label) => label is "metadata.name" or "metadata.namespace" ? label : null;

    /// <summary>The definition's client config as the webhook client takes it (the same fields as an admission webhook's).</summary>
    public static Admissionregistrationv1WebhookClientConfig ClientConfig(Apiextensionsv1WebhookClientConfig config) => new()
    {
        CaBundle = config.CaBundle,
        Url = config.Url,
        Service = config.Service is { } service
            ? new Admissionregistrationv1ServiceReference
            {
                Name = service.Name,
                NamespaceProperty = service.NamespaceProperty,
                Path = service.Path,
                Port = service.Port,
            }
            : null,
    };
}
