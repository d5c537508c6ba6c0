using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// The webhooks of the stored MutatingWebhookConfigurations and ValidatingWebhookConfigurations, as kube's webhook
/// configuration managers merge them: configurations in name order, each one's webhooks in its own order. Each kind is
/// read again only after one of its configurations changed, so a write with no webhooks configured pays one revision
/// check, and a configuration takes effect from the first write after it is stored.
/// </summary>
public sealed class WebhookConfigurations(WatchCache cache)
{
    public static readonly ResourceType MutatingType = ResourceCatalog.Get("admissionregistration.k8s.io", "mutatingwebhookconfigurations");

    public static readonly ResourceType ValidatingType = ResourceCatalog.Get("admissionregistration.k8s.io", "validatingwebhookconfigurations");

    private readonly BucketReading<IReadOnlyList<Webhook>> _mutating =
        new(cache, MutatingType.KeyPrefix, () => Read(cache, MutatingType, (name, obj) => ((V1MutatingWebhookConfiguration)obj).Webhooks?.Select(h => Webhook.Of(name, h))));

    private readonly BucketReading<IReadOnlyList<Webhook>> _validating =
        new(cache, ValidatingType.KeyPrefix, () => Read(cache, ValidatingType, (name, obj) => ((V1ValidatingWebhookConfiguration)obj).Webhooks?.Select(h => Webhook.Of(name, h))));

    public IReadOnlyList<Webhook> Mutating => _mutating.Current;

    public IReadOnlyList<Webhook> Validating => _validating.Current;

    /// <summary>
    /// Whether webhooks never see writes of this type: the configurations themselves, so that no webhook can lock the
    /// cluster out of removing it (kube's <c>IsExemptAdmissionConfigurationResource</c>).
    /// </summary>
    public static bool IsExempt(ResourceType type) => type.Group == MutatingType.Group;

    private static List<Webhook> Read(WatchCache cache, ResourceType type, Func<string, object, IEnumerable<Webhook>?> webhooksOf) =>
        cache.List(type.KeyPrefix, new WatchFilter(type.KeyPrefix)).Items
            .Select(item => ObjectDecoder.DecodeStored(type, item.Json))
            .OrderBy(obj => obj.Metadata.Name, StringComparer.Ordinal)
            .SelectMany(obj => webhooksOf(obj.Metadata.Name, obj) ?? [])
            .ToList();
}
