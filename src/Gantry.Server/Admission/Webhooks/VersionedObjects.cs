using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// An admission request's objects in each version its webhooks are sent them, converted once per version and object
/// (kube's versioned attributes, kept per version): a custom resource's conversion webhook is called once, however many
/// admission webhooks see the request in that version.
/// </summary>
internal sealed class VersionedObjects
{
    private readonly ConcurrentDictionary<Key, Lazy<Task<JsonObject?>>> _converted = new();

    /// <summary>
    /// <paramref name="obj"/> as <paramref name="version"/> shows it (see <see cref="AdmissionReview.InVersionAsync"/>); a
    /// failed conversion is an InternalError, as kube's admission reports it.
    /// </summary>
    public Task<JsonObject?> InVersionAsync(ResourceType version, ResourceType stored, JsonObject? obj, CancellationToken cancellationToken) =>
        obj is null
            ? Task.FromResult<JsonObject?>(null)
            : _converted.GetOrAdd(new Key(version, obj), _ => new Lazy<Task<JsonObject?>>(() => ConvertAsync(version, stored, obj, cancellationToken))).Value;

    private static async Task<JsonObject?> ConvertAsync(ResourceType version, ResourceType stored, JsonObject obj, CancellationToken cancellationToken)
    {
        try
        {
            return await AdmissionReview.InVersionAsync(version, stored, obj, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw e.AsInternalError();
        }
    }

    /// <summary>A version and one object, the object compared by identity (the request's objects are never changed in place).</summary>
    private readonly struct Key(ResourceType version, JsonObject obj) : IEquatable<Key>
    {
        private readonly ResourceType _version = version;
        private readonly JsonObject _object = obj;

        public bool Equals(Key other) => ReferenceEquals(_object, other._object) && _version.Equals(other._version);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(_object), _version.Group, _version.Version, _version.Plural);
    }
}
