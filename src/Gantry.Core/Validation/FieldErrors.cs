namespace Gantry.Core.Validation;

/// <summary>
/// Constructors for <see cref="FieldError"/> named after apimachinery's <c>field.Required</c>,
/// <c>field.Invalid</c>, … so that ported validation reads like its source.
/// </summary>
public static class FieldErrors
{
    public static FieldError Required(FieldPath path, string detail = "") =>
        new(FieldErrorType.Required, path.ToString(), detail, "");

    public static FieldError Invalid(FieldPath path, object? value, string detail) =>
        new(FieldErrorType.Invalid, path.ToString(), detail, value);

    /// <summary><c>field.Invalid</c> with <c>field.OmitValueType{}</c>: <c>Invalid value: detail</c>, the value left out.</summary>
    public static FieldError InvalidStruct(FieldPath path, string detail) =>
        new(FieldErrorType.Invalid, path.ToString(), detail, FieldError.OmittedValue);

    public static FieldError Duplicate(FieldPath path, object? value) =>
        new(FieldErrorType.Duplicate, path.ToString(), "", value);

    public static FieldError NotFound(FieldPath path, object? value) =>
        new(FieldErrorType.NotFound, path.ToString(), "", value);

    public static FieldError Forbidden(FieldPath path, string detail) =>
        new(FieldErrorType.Forbidden, path.ToString(), detail, "");

    /// <summary>An enumerated value outside <paramref name="supported"/>, listing them as <c>supported values: "A", "B"</c>.</summary>
    public static FieldError NotSupported(FieldPath path, object? value, IEnumerable<string> supported)
    {
        var quoted = supported.Select(GoValue.Quote).ToList();
        var detail = quoted.Count == 0 ? "" : "supported values: " + string.Join(", ", quoted);
        return new(FieldErrorType.NotSupported, path.ToString(), detail, value);
    }

    public static FieldError TooLong(FieldPath path, int maxBytes) =>
        new(FieldErrorType.TooLong, path.ToString(), $"may not be more than {maxBytes} bytes", "<value omitted>");

    public static FieldError TooMany(FieldPath path, int actual, int max) =>
        new(FieldErrorType.TooMany, path.ToString(), $"must have at most {max} items", actual);

    /// <summary>apimachinery's <c>ValidateImmutableField</c> error: <c>Invalid value: …: field is immutable</c>.</summary>
    public static FieldError Immutable(FieldPath path, object? newValue) =>
        Invalid(path, newValue, FormatValidation.FieldImmutable);
}
