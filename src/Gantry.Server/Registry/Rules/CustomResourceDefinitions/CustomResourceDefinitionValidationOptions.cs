namespace Gantry.Server.Registry.Rules.CustomResourceDefinitions;

/// <summary>
/// kube's <c>validationOptions</c>: what a CRD must satisfy. A create demands everything; an update relaxes a rule the
/// stored CRD already broke, so that tightened validation never locks out an existing definition.
/// </summary>
internal sealed record CustomResourceDefinitionValidationOptions
{
    public static readonly CustomResourceDefinitionValidationOptions Create = new();

    public bool AllowDefaults { get; init; } = true;

    public bool RequireRecognizedConversionReviewVersion { get; init; } = true;

    /// <summary>Scope and kind may not change once the CRD is established.</summary>
    public bool RequireImmutableNames { get; init; }

    public bool RequireOpenApiSchema { get; init; } = true;

    public bool RequireValidPropertyType { get; init; } = true;

    public bool RequireStructuralSchema { get; init; } = true;

    public bool RequireAtomicSetType { get; init; } = true;

    public bool RequireMapListKeysMapSetValidation { get; init; } = true;
}
