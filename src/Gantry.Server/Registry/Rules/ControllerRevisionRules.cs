using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// ControllerRevisions (apps/v1), the snapshots a controller keeps of its template for rollout history
/// (<c>ValidateControllerRevision</c>): data is required and, once written, immutable; the revision is not negative.
/// </summary>
public sealed class ControllerRevisionRules() : ResourceRules<V1ControllerRevision>(ResourceCatalog.Get("apps", "controllerrevisions"))
{
    protected override void Validate(V1ControllerRevision obj, List<FieldError> errors)
    {
        if (DataOf(obj) is null)
        {
            errors.Add(FieldErrors.Required(FieldPath.Of("data"), "data is mandatory"));
        }

        if (obj.Revision < 0)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("revision"), obj.Revision, FormatValidation.IsNegative));
        }
    }

    protected override void ValidateUpdate(V1ControllerRevision obj, V1ControllerRevision old, List<FieldError> errors)
    {
        Validate(obj, errors);
        var data = DataOf(obj);
        if (!JsonNode.DeepEquals(data, DataOf(old)))
        {
            errors.Add(FieldErrors.Immutable(FieldPath.Of("data"), data?.ToJsonString()));
        }
    }

    /// <summary>The data as JSON: the model holds it as whatever the deserializer made of a RawExtension.</summary>
    private static JsonNode? DataOf(V1ControllerRevision revision) =>
        revision.Data is null ? null : JsonNode.Parse(KubernetesJson.Serialize(revision.Data));
}
