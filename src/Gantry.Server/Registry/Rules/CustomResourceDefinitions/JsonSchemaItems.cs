namespace Gantry.Server.Registry.Rules.CustomResourceDefinitions;

/// <summary>kube's <c>JSONSchemaPropsOrArray</c>: <c>items</c> as one schema or, which CRDs forbid, as a list of them.</summary>
internal sealed record JsonSchemaItems(JsonSchema? Schema, IReadOnlyList<JsonSchema>? Schemas);
