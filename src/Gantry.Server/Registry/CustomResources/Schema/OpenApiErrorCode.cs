namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>The codes of kube-openapi's <c>errors.Validation</c> that apiextensions maps to particular field errors.</summary>
internal enum OpenApiErrorCode
{
    /// <summary>Not an <c>errors.Validation</c> (anyOf/oneOf/allOf/not failures, range checks): reported on the root path.</summary>
    Plain,
    InvalidType,
    Required,
    TooLong,
    TooShort,
    Pattern,
    Enum,
    MultipleOf,
    Max,
    Min,
    Unique,
    MaxItems,
    MinItems,
    TooFewProperties,
    TooManyProperties,
    UnallowedProperty,
    MultipleOfMustBePositive,
}
