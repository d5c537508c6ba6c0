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
    // without rules the old object is not needed.
    protected override void ValidateUpdate(CustomResource obj, CustomResource old, List<FieldError> errors) =>
        errors.AddRange(Type.Custom!.Validate(ObjectDecoder.ToNode(obj), Type.Custom.HasRules ? ObjectDecoder.ToNode(old) : null));
}
