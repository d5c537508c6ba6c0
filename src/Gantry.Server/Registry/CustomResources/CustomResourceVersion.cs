using System.Text.Json.Nodes;
using Gantry.Core.Resources.CustomResources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>One served version of a CustomResourceDefinition, with its schema.</summary>
public sealed class CustomResourceVersion(V1CustomResourceDefinition definition, V1CustomResourceDefinitionVersion version) : ICustomResourceVersion
{
    public V1CustomResourceDefinition Definition { get; } = definition;

    public V1CustomResourceDefinitionVersion Version { get; } = version;

    public IReadOnlyList<string> Prune(JsonObject obj) => [];

    public void Default(JsonObject obj)
    {
    }

    public IReadOnlyList<FieldError> Validate(JsonObject obj) => [];
}
