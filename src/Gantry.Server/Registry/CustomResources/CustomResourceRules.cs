using Gantry.Core.Resources;
using Gantry.Core.Resources.CustomResources;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>
/// The rules of a custom resource, as kube's customResourceStrategy applies them: the object, status included, must
/// satisfy its version's schema and rules on every write. Defaults and pruning are applied when the object is decoded
/// (<see cref="ObjectDecoder.Decode"/>), as kube's decoder applies them.
/// </summary>
public sealed class CustomResourceRules(ResourceType type) : ResourceRules<CustomResource>(type)
{
    protected override void Validate(CustomResource obj, List<FieldError> errors) =>
        errors.AddRange(Type.Custom!.Validate(ObjectDecoder.ToNode(obj)));

    // An update's rules see the object updated as oldSelf (transition rules), and errors on values it kept are dropped;
    // the old object is written out only when one of them needs it.
    protected override void ValidateUpdate(CustomResource obj, CustomResource old, List<FieldError> errors) =>
        errors.AddRange(Type.Custom!.Validate(ObjectDecoder.ToNode(obj), () => ObjectDecoder.ToNode(old)));

    // A status write answers for the status alone, and for the rules (kube's status strategy).
    protected override void ValidateStatusUpdate(CustomResource obj, CustomResource old, List<FieldError> errors) =>
        errors.AddRange(Type.Custom!.ValidateStatus(ObjectDecoder.ToNode(obj), () => ObjectDecoder.ToNode(old)));
}
