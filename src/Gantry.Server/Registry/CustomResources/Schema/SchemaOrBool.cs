namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// <c>additionalProperties</c>: a schema for the values of a map, or just whether other properties are allowed
/// (apiextensions' <c>StructuralOrBool</c>). <c>true</c> alone prunes the values as a schema that specifies nothing.
/// </summary>
public sealed record SchemaOrBool(bool Allows, StructuralSchema? Schema);
