using Gantry.Core.Resources;
using Gantry.Core.Resources.CustomResources;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>
/// The rules of a custom resource, as kube's customResourceStrategy applies them: the object, status included, must
/// satisfy its version's schema on every write. Defaults and pruning are applied when the object is decoded
/// (<see cref="ObjectDecoder.Decode"/>), as kube's decoder applies them.
/// </summary>
public sealed class CustomResourceRules(ResourceType type) : ResourceRules<CustomResource>(type)
{
    protected override void Validate(CustomResource obj, List<FieldError> errors) =>
        errors.AddRange(Type.Custom!.Validate(ObjectDecoder.ToNode(obj)));
}
