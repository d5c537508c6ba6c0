namespace Gantry.Core.Validation;

/// <summary>
/// One invalid field, in apimachinery's terms: <see cref="Type"/> gives the Status cause reason
/// (<c>FieldValueRequired</c>, <c>FieldValueInvalid</c>, …) and <see cref="ToString"/> gives the
/// line kubectl prints, e.g. <c>spec.containers[0].image: Required value</c>.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, string Detail, object? BadValue = null)
{
    /// <summary>The bad value of an error about a whole struct, which apimachinery leaves out (<c>field.OmitValueType</c>).</summary>
    public static readonly object OmittedValue = new();

    /// <summary>The Status cause <c>reason</c> for this error.</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.NotFound => "FieldValueNotFound",
        _ => "FieldValueInvalid",
    };

    /// <summary>The cause message without the field, as apimachinery's <c>ErrorBody</c> builds it.</summary>
    public string Message => Type switch
    {
        FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong =>
            Detail.Length == 0 ? TypeText : $"{TypeText}: {Detail}",
        // TooMany carries the actual count when it is known, as apimachinery's field.TooMany does.
        FieldErrorType.TooMany when BadValue is null => Detail.Length == 0 ? TypeText : $"{TypeText}: {Detail}",
        _ when ReferenceEquals(BadValue, OmittedValue) => Detail.Length == 0 ? TypeText : $"{TypeText}: {Detail}",
        _ => Detail.Length == 0 ? $"{TypeText}: {Quote(BadValue)}" : $"{TypeText}: {Quote(BadValue)}: {Detail}",
    };

    private string TypeText => Type switch
    {
        FieldErrorType.Required => "Required value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        FieldErrorType.NotFound => "Not found",
        _ => "Invalid value",
    };

    private static string Quote(object? value) => value switch
    {
        null => "null",
        string s => GoValue.Quote(s),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    public override string ToString() => $"{Field}: {Message}";
}

public enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    Duplicate,
    Forbidden,
    TooLong,
    TooMany,
    NotFound,
}
