using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// kube-openapi's schema validator (<c>pkg/validation/validate</c>) on a structural schema, check by check and in its
/// order: type, allOf/anyOf/oneOf/not, string, format, number, array, enum, object. Every check that applies to the
/// value's kind runs, so one value can fail several. Messages are <c>pkg/validation/errors</c>' word for word.
/// </summary>
internal static class OpenApiValidator
{
    private const string In = "body";

    public static OpenApiResult Validate(StructuralSchema s, JsonNode? data, string path)
    {
        var result = new OpenApiResult();
        var kind = JsonValues.KindOf(data);
        if (kind == JsonKind.Null)
        {
            result.Merge(ValidateType(s, data, kind, path));
            result.Merge(ValidateEnum(s, data, kind, path));
            return result;
        }

        if (s.OpenApiTypes.Count > 0 || s.ValidationFormat.Length > 0)
        {
            Run(result, ValidateType(s, data, kind, path));
        }

        Run(result, ValidateSchemaProps(s, data, path));
        if (kind == JsonKind.String)
        {
            Run(result, ValidateString(s, JsonValues.GetString(data!), path));
            if (s.ValidationFormat.Length > 0 && StringFormats.IsSupported(s.ValidationFormat))
            {
                Run(result, ValidateFormat(s, JsonValues.GetString(data!), path));
            }
        }

        if (kind is JsonKind.Integer or JsonKind.Float)
        {
            Run(result, ValidateNumber(s, data!, kind, path));
        }

        if (kind == JsonKind.Array)
        {
            Run(result, ValidateSlice(s, (JsonArray)data!, path));
        }

        Run(result, ValidateEnum(s, data, kind, path));
        if (kind == JsonKind.Object)
        {
            Run(result, ValidateObject(s, (JsonObject)data!, path));
        }

        result.Inc();
        return result;
    }

    private static void Run(OpenApiResult result, OpenApiResult? check)
    {
        result.Merge(check);
        result.Inc();
    }

    /// <summary>type.go: the JSON type (integral floats pass as integers), or null where the schema allows it.</summary>
    private static OpenApiResult ValidateType(StructuralSchema s, JsonNode? data, JsonKind kind, string path)
    {
        var result = new OpenApiResult();
        result.Inc();
        var types = s.OpenApiTypes;
        if (kind == JsonKind.Null)
        {
            return types.Count > 0 && !types.Contains("null") && !s.Nullable
                ? OpenApiResult.Of(InvalidType(path, string.Join(",", types), "null"))
                : result;
        }

        var (schemaType, format) = kind switch
        {
            JsonKind.Boolean => ("boolean", ""),
            JsonKind.String => ("string", ""),
            JsonKind.Integer => ("integer", "int64"),
            JsonKind.Float => ("number", "float64"),
            JsonKind.Array => ("array", ""),
            _ => ("object", ""),
        };
        var isFloatInt = kind == JsonKind.Float && IsFloat64AJsonInteger(JsonValues.GetDouble(data!)) && types.Contains("integer");
        var isIntFloat = kind == JsonKind.Integer && types.Contains("number");
        var stringOrSlice = kind is JsonKind.String or JsonKind.Array;
        var declaredFormat = s.ValidationFormat;

        if (!stringOrSlice && declaredFormat.Length > 0 && !(types.Contains(schemaType) || format == declaredFormat || isFloatInt || isIntFloat))
        {
            return OpenApiResult.Of(InvalidType(path, declaredFormat, format));
        }

        if (!(types.Contains("number") || types.Contains("integer")) && declaredFormat.Length > 0 && stringOrSlice)
        {
            return result;
        }

        return types.Contains(schemaType) || isFloatInt || isIntFloat
            ? result
            : OpenApiResult.Of(InvalidType(path, string.Join(",", types), schemaType));
    }

    /// <summary>schema_props.go: anyOf, oneOf, allOf and not, each alternative validated at the same path.</summary>
    private static OpenApiResult ValidateSchemaProps(StructuralSchema s, JsonNode? data, string path)
    {
        var main = new OpenApiResult();
        if (s.AnyOf.Count > 0)
        {
            OpenApiResult? best = null;
            OpenApiResult? firstSuccess = null;
            var succeeded = false;
            foreach (var alternative in s.AnyOf)
            {
                var result = Validate(alternative, data, path);
                if (result.IsValid)
                {
                    best = null;
                    succeeded = true;
                    firstSuccess ??= result;
                    break;
                }

                if (best is null || result.MatchCount > best.MatchCount)
                {
                    best = result;
                }
            }

            if (!succeeded)
            {
                main.Add(OpenApiError.Plain($"{GoValue.Quote(path)} must validate at least one schema (anyOf)"));
            }

            main.Merge(best ?? firstSuccess);
        }

        if (s.OneOf.Count > 0)
        {
            OpenApiResult? best = null;
            OpenApiResult? firstSuccess = null;
            var validated = 0;
            foreach (var alternative in s.OneOf)
            {
                var result = Validate(alternative, data, path);
                if (result.IsValid)
                {
                    validated++;
                    best = null;
                    firstSuccess ??= result;
                    continue;
                }

                if (validated == 0 && (best is null || result.MatchCount > best.MatchCount))
                {
                    best = result;
                }
            }

            if (validated != 1)
            {
                var found = validated == 0 ? "Found none valid" : $"Found {validated} valid alternatives";
                main.Add(OpenApiError.Plain($"{GoValue.Quote(path)} must validate one and only one schema (oneOf). {found}"));
                main.Merge(best);
            }
            else
            {
                main.Merge(firstSuccess);
            }
        }

        if (s.AllOf.Count > 0)
        {
            var validated = 0;
            foreach (var alternative in s.AllOf)
            {
                var result = Validate(alternative, data, path);
                if (result.IsValid)
                {
                    validated++;
                }

                main.Merge(result);
            }

            if (validated != s.AllOf.Count)
            {
                main.Add(OpenApiError.Plain($"{GoValue.Quote(path)} must validate all the schemas (allOf){(validated == 0 ? ". None validated" : "")}"));
            }
        }

        if (s.Not is { } not && Validate(not, data, path).IsValid)
        {
            main.Add(OpenApiError.Plain($"{GoValue.Quote(path)} must not validate the schema (not)"));
        }

        main.Inc();
        return main;
    }

    /// <summary>validator.go's stringValidator: lengths in runes, then the pattern; the first failure only.</summary>
    private static OpenApiResult? ValidateString(StructuralSchema s, string data, string path)
    {
        var length = data.EnumerateRunes().Count();
        if (s.MaxLength is { } max && length > max)
        {
            return OpenApiResult.Of(new(OpenApiErrorCode.TooLong, path, $"{path} in {In} should be at most {max} chars long", data, max));
        }

        if (s.MinLength is { } min && length < min)
        {
            return OpenApiResult.Of(new(OpenApiErrorCode.TooShort, path, $"{path} in {In} should be at least {min} chars long", data, min));
        }

        if (s.Pattern.Length > 0)
        {
            if (s.PatternRegex is null)
            {
                return OpenApiResult.Of(new(OpenApiErrorCode.Pattern, path, $"{path} in {In} should match '{s.Pattern}, but pattern is invalid: {s.PatternError}'", data));
            }

            if (!s.PatternRegex.IsMatch(data))
            {
                return OpenApiResult.Of(new(OpenApiErrorCode.Pattern, path, $"{path} in {In} should match '{s.Pattern}'", data));
            }
        }

        return null;
    }

    private static OpenApiResult? ValidateFormat(StructuralSchema s, string data, string path) =>
        StringFormats.IsValid(s.ValidationFormat, data) ? null : OpenApiResult.Of(InvalidType(path, s.ValidationFormat, data));

    /// <summary>
    /// validator.go's numberValidator: the value's range for an int32/int64/float/double format, then multipleOf, minimum
    /// and maximum, compared natively (an integer against the truncated limit) when the limit fits the type.
    /// </summary>
    private static OpenApiResult ValidateNumber(StructuralSchema s, JsonNode data, JsonKind kind, string path)
    {
        var (typeName, format) = s.OpenApiTypes is [var only]
            ? only switch
            {
                "integer" => ("integer", s.ValidationFormat is "int32" or "int64" ? s.ValidationFormat : ""),
                "number" => ("number", s.ValidationFormat is "float" or "double" ? s.ValidationFormat : ""),
                _ => ("", ""),
            }
            : ("", "");
        var isInteger = kind == JsonKind.Integer;
        JsonValues.TryGetInteger(data, out var integer);
        var number = JsonValues.GetDouble(data);
        var value = JsonValues.ToBadValue(data);

        var result = new OpenApiResult();
        result.Add(RangeError(isInteger ? integer.ToString(CultureInfo.InvariantCulture) : GoFloat.FormatF(number), typeName, format, "Checked", path));

        var multiple = new OpenApiResult();
        if (s.MultipleOf is { } factor)
        {
            multiple.Add(RangeError(GoFloat.FormatF(factor), typeName, format, "MultipleOf", path));
            multiple.Add(multiple.IsValid && isInteger ? MultipleOfInt(path, integer, (long)factor) : MultipleOfFloat(path, number, factor, value));
        }

        var minimum = new OpenApiResult();
        if (s.Minimum is { } min)
        {
            minimum.Add(RangeError(GoFloat.FormatF(min), typeName, format, "Minimum boundary", path));
            var tooSmall = minimum.IsValid && isInteger
                ? (s.ExclusiveMinimum ? integer <= (long)min : integer < (long)min)
                : (s.ExclusiveMinimum ? number <= min : number < min);
            if (tooSmall)
            {
                var limit = minimum.IsValid && isInteger ? ((long)min).ToString(CultureInfo.InvariantCulture) : GoFloat.FormatV(min);
                var words = s.ExclusiveMinimum ? "should be greater than" : "should be greater than or equal to";
                minimum.Add(new(OpenApiErrorCode.Min, path, $"{path} in {In} {words} {limit}", value));
            }
        }

        var maximum = new OpenApiResult();
        if (s.Maximum is { } max)
        {
            maximum.Add(RangeError(GoFloat.FormatF(max), typeName, format, "Maximum boundary", path));
            var tooLarge = maximum.IsValid && isInteger
                ? (s.ExclusiveMaximum ? integer >= (long)max : integer > (long)max)
                : (s.ExclusiveMaximum ? number >= max : number > max);
            if (tooLarge)
            {
                var limit = maximum.IsValid && isInteger ? ((long)max).ToString(CultureInfo.InvariantCulture) : GoFloat.FormatV(max);
                var words = s.ExclusiveMaximum ? "should be less than" : "should be less than or equal to";
                maximum.Add(new(OpenApiErrorCode.Max, path, $"{path} in {In} {words} {limit}", value));
            }
        }

        result.Merge(multiple).Merge(minimum).Merge(maximum);
        result.Inc();
        return result;
    }

    /// <summary><c>IsValueValidAgainstRange</c>: whether the number, as Go prints it, parses as the schema's type and format.</summary>
    private static OpenApiError? RangeError(string text, string typeName, string format, string prefix, string path)
    {
        var fits = typeName switch
        {
            "integer" when format == "int32" => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "integer" => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ when format == "float" => float.IsFinite(float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => true,
        };
        if (fits)
        {
            return null;
        }

        return OpenApiError.Plain(format.Length > 0
            ? $"{prefix} value must be of type {typeName} with format {format} in {path}"
            : $"{prefix} value must be of type {typeName} (default format) in {path}");
    }

    private static OpenApiError? MultipleOfInt(string path, long data, long factor)
    {
        if (factor <= 0)
        {
            return new(OpenApiErrorCode.MultipleOfMustBePositive, path, $"factor MultipleOf declared for {path} must be positive: {factor}", factor);
        }

        return data % factor == 0 ? null : new(OpenApiErrorCode.MultipleOf, path, $"{path} in {In} should be a multiple of {factor}", data);
    }

    private static OpenApiError? MultipleOfFloat(string path, double data, double factor, object? value)
    {
        if (factor <= 0)
        {
            return new(OpenApiErrorCode.MultipleOfMustBePositive, path, $"factor MultipleOf declared for {path} must be positive: {GoFloat.FormatV(factor)}",
                new GoValue(GoFloat.FormatV(factor)));
        }

        var quotient = factor < 1 ? 1 / factor * data : data / factor;
        return IsFloat64AJsonInteger(quotient) ? null : new(OpenApiErrorCode.MultipleOf, path, $"{path} in {In} should be a multiple of {GoFloat.FormatV(factor)}", value);
    }

    /// <summary>slice_validator.go: the items, then minItems, maxItems and uniqueItems.</summary>
    private static OpenApiResult ValidateSlice(StructuralSchema s, JsonArray data, string path)
    {
        var result = new OpenApiResult();
        if (s.Items is { } items)
        {
            for (var i = 0; i < data.Count; i++)
            {
                result.Merge(Validate(items, data[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]"));
            }
        }

        long size = data.Count;
        if (s.MinItems is { } min && size < min)
        {
            result.Add(new(OpenApiErrorCode.MinItems, path, $"{path} in {In} should have at least {min} items", size, min));
        }

        if (s.MaxItems is { } max && size > max)
        {
            result.Add(new(OpenApiErrorCode.MaxItems, path, $"{path} in {In} should have at most {max} items", size, max));
        }

        if (s.UniqueItems && HasDuplicates(data))
        {
            result.Add(new(OpenApiErrorCode.Unique, path, $"{path} in {In} shouldn't contain duplicates"));
        }

        result.Inc();
        return result;
    }

    private static bool HasDuplicates(JsonArray data)
    {
        for (var i = 1; i < data.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (JsonValues.DeepEqual(data[i], data[j]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>basicCommonValidator: the value, converted to each enum value's Go type, must equal one of them.</summary>
    private static OpenApiResult? ValidateEnum(StructuralSchema s, JsonNode? data, JsonKind kind, string path)
    {
        if (s.Enum is not { Count: > 0 } values)
        {
            return null;
        }

        if (kind != JsonKind.Null && values.Any(v => EnumMatches(data!, kind, v)))
        {
            return null;
        }

        var listed = string.Join(" ", values.Select(v => JsonValues.KindOf(v) == JsonKind.String ? JsonValues.GetString(v!) : JsonValues.Marshal(v)));
        return OpenApiResult.Of(new(OpenApiErrorCode.Enum, path, $"{path} in {In} should be one of [{listed}]",
            kind == JsonKind.Null ? null : JsonValues.ToBadValue(data), Values: values));
    }

    /// <summary>Go's <c>reflect</c> conversion then DeepEqual: an int64 converts to float64 (and to a one-rune string), a float64 truncates to int64.</summary>
    private static bool EnumMatches(JsonNode data, JsonKind kind, JsonNode? enumValue)
    {
        var enumKind = JsonValues.KindOf(enumValue);
        if (enumKind == JsonKind.Null)
        {
            return false;
        }

        if (kind == enumKind)
        {
            return JsonValues.DeepEqual(data, enumValue);
        }

        JsonValues.TryGetInteger(data, out var integer);
        return (kind, enumKind) switch
        {
            (JsonKind.Integer, JsonKind.Float) => (double)integer == JsonValues.GetDouble(enumValue!),
            (JsonKind.Float, JsonKind.Integer) => JsonValues.TryGetInteger(enumValue!, out var e) && (long)JsonValues.GetDouble(data) == e,
            (JsonKind.Integer, JsonKind.String) => string.Equals(GoRuneString(integer), JsonValues.GetString(enumValue!), StringComparison.Ordinal),
            _ => false,
        };
    }

    private static string GoRuneString(long value) =>
        value is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)value) : "\uFFFD";

    /// <summary>object_validator.go: property counts, forbidden or additional properties, properties, then required.</summary>
    private static OpenApiResult ValidateObject(StructuralSchema s, JsonObject data, string path)
    {
        var result = new OpenApiResult();
        long count = data.Count;
        if (s.MinProperties is { } min && count < min)
        {
            result.Add(new(OpenApiErrorCode.TooFewProperties, path, $"{path} in {In} should have at least {min} properties", count, min));
        }

        if (s.MaxProperties is { } max && count > max)
        {
            result.Add(new(OpenApiErrorCode.TooManyProperties, path, $"{path} in {In} should have at most {max} properties", count, max));
        }

        if (s.AdditionalProperties is { Allows: false })
        {
            foreach (var (key, _) in data)
            {
                if (!s.Properties.ContainsKey(key))
                {
                    result.Add(new(OpenApiErrorCode.UnallowedProperty, path, $"{path}.{key} in {In} is a forbidden property", key));
                }
            }
        }
        else if (s.AdditionalProperties?.Schema is { } additional)
        {
            foreach (var (key, value) in data)
            {
                if (!s.Properties.ContainsKey(key))
                {
                    result.Merge(Validate(additional, value, path + "." + key));
                }
            }
        }

        foreach (var (name, property) in s.Properties)
        {
            if (data.TryGetPropertyValue(name, out var value))
            {
                result.Merge(Validate(property, value, path.Length == 0 ? name : path + "." + name));
            }
        }

        foreach (var name in s.Required)
        {
            if (!data.ContainsKey(name))
            {
                result.Add(new(OpenApiErrorCode.Required, path + "." + name, $"{path}.{name} in {In} is required"));
            }
        }

        return result;
    }

    /// <summary>errors.InvalidType with a string value: <c>spec.x in body must be of type integer: "string"</c>.</summary>
    private static OpenApiError InvalidType(string path, string typeName, string value) =>
        new(OpenApiErrorCode.InvalidType, path, $"{path} in {In} must be of type {typeName}: {GoValue.Quote(value)}", value);

    /// <summary>go-openapi swag's <c>IsFloat64AJSONInteger</c>: integral within 2^53, allowing a relative error of 1e-9.</summary>
    internal static bool IsFloat64AJsonInteger(double f)
    {
        const double maxJsonFloat = (1L << 53) - 1;
        const double epsilon = 1e-9;
        if (double.IsNaN(f) || double.IsInfinity(f) || f < -maxJsonFloat || f > maxJsonFloat)
        {
            return false;
        }

        var g = f < 0 ? 0 : (double)(ulong)f;
        var diff = Math.Abs(f - g);
        if (f == g || f == (long)f)
        {
            return true;
        }

        if (f == 0 || g == 0 || diff < double.Epsilon)
        {
            return diff < epsilon * double.Epsilon;
        }

        return diff / Math.Min(Math.Abs(f) + Math.Abs(g), double.MaxValue) < epsilon;
    }
}
