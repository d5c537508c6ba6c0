using System.Text.Json.Nodes;
using Gantry.Core.Resources.CustomResources;
using Gantry.Core.Validation;
using Gantry.Server.Registry.CustomResources.Schema;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>
/// One served version of a CustomResourceDefinition, with its structural schema applied as kube's apiextensions-apiserver
/// applies it to a write: pruned, nulls the schema does not allow dropped, defaulted, then validated. A version without a
/// schema (which the definition's validation refuses in v1) keeps whatever it is given.
/// </summary>
public sealed class CustomResourceVersion(V1CustomResourceDefinition definition, V1CustomResourceDefinitionVersion version) : ICustomResourceVersion
{
    private readonly StructuralSchema? _schema =
        version.Schema?.OpenAPIV3Schema is { } schema ? StructuralSchema.From(schema) : null;

    public V1CustomResourceDefinition Definition { get; } = definition;

    public V1CustomResourceDefinitionVersion Version { get; } = version;

    public IReadOnlyList<string> Prune(JsonObject obj) => _schema is null ? [] : StructuralPruning.Prune(obj, _schema);

    public void Default(JsonObject obj)
    {
        if (_schema is not null)
        {
            StructuralDefaulting.DropNonNullableNulls(obj, _schema);
            StructuralDefaulting.ApplyDefaults(obj, _schema);
        }
    }

    public IReadOnlyList<FieldError> Validate(JsonObject obj, Func<JsonObject>? old = null) => _schema is null ? [] : StructuralValidation.Validate(obj, _schema, old);

    public IReadOnlyList<FieldError> ValidateStatus(JsonObject obj, Func<JsonObject> old) =>
        _schema is null ? [] : StructuralValidation.Validate(obj, _schema, old, statusOnly: true);

    public IReadOnlyList<FieldError> ValidateTypes(JsonObject obj) => _schema is null ? [] : StructuralValidation.ValidateTypes(obj, _schema);
}
