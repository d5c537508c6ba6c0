namespace Gantry.Server.Registry;

/// <summary>The <c>fieldValidation</c> query parameter: what to do about fields the schema does not know.</summary>
public enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}
