using System.Text.Json.Nodes;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Core.Resources.CustomResources;

/// <summary>
/// What makes a <see cref="ResourceType"/> a custom resource: the definition and version it is served from, and the
/// version's structural schema, applied to an object as kube's apiextensions-apiserver applies it.
/// </summary>
public interface ICustomResourceVersion
{
    V1CustomResourceDefinition Definition { get; }

    V1CustomResourceDefinitionVersion Version { get; }

    /// <summary>Removes in place what the schema does not specify; returns the removed fields' paths (<c>spec.bogus</c>).</summary>
    IReadOnlyList<string> Prune(JsonObject obj);

    /// <summary>Fills in the schema's defaults, in place.</summary>
    void Default(JsonObject obj);

    /// <summary>
    /// The object's violations of the schema and its rules; <paramref name="old"/> gives the object updated (null on
    /// create), read only when needed: for transition rules, and to let errors on values the update kept go (ratcheting).
    /// </summary>
    IReadOnlyList<FieldError> Validate(JsonObject obj, Func<JsonObject>? old = null);

    /// <summary>A status write's violations: the schema's within the status, and the rules' (kube's status strategy).</summary>
    IReadOnlyList<FieldError> ValidateStatus(JsonObject obj, Func<JsonObject> old);

    /// <summary>The object's values of the wrong type for the schema, the rest of its checks left to the write.</summary>
    IReadOnlyList<FieldError> ValidateTypes(JsonObject obj);
}
