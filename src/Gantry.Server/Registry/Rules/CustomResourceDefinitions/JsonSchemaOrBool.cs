namespace Gantry.Server.Registry.Rules.CustomResourceDefinitions;

/// <summary>kube's <c>JSONSchemaPropsOrBool</c>: <c>additionalProperties: false</c>, <c>true</c> or a schema (which allows).</summary>
internal sealed record JsonSchemaOrBool(bool Allows, JsonSchema? Schema);
