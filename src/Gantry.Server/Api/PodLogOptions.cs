using System.Globalization;
using Gantry.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// The query of <c>GET pods/{name}/log</c> as kube-apiserver 1.32 takes it: decoded into <c>v1.PodLogOptions</c>
/// as apimachinery converts <c>url.Values</c> (a value that does not parse is a 400 in Go's words), checked as
/// <c>ValidatePodLogOptions</c> checks it (a 422 for kind <c>PodLogOptions</c>), and passed on to the agent as the
/// apiserver passes it to the kubelet.
/// </summary>
/// <param name="Stream">
/// Read only to be refused: 1.32 serves <c>stream</c> behind the alpha PodLogsQuerySplitStreams gate, off by default.
/// </param>
public sealed record PodLogOptions(
    bool Follow,
    bool Previous,
    long? SinceSeconds,
    DateTimeOffset? SinceTime,
    bool Timestamps,
    long? TailLines,
    long? LimitBytes,
    string? Stream)
{
    /// <summary>The options of a log request for <paramref name="podName"/>, or the 400 or 422 the apiserver answers.</summary>
    public static PodLogOptions FromQuery(IQueryCollection query, string podName)
    {
        var options = Decode(query);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw ApiException.Invalid("", "PodLogOptions", podName, errors);
        }

        return options;
    }

    /// <summary>
    /// The conversion from the query, field by field in the order of the Go struct, so that of two values that do
    /// not parse the same one is reported. Only a parameter's first value counts, and names are case-sensitive.
    /// </summary>
    public static PodLogOptions Decode(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var follow = Boolean(First(query, "follow"));
        var previous = Boolean(First(query, "previous"));
        var sinceSeconds = Integer(First(query, "sinceSeconds"));
        var sinceTime = Time(First(query, "sinceTime"));
        var timestamps = Boolean(First(query, "timestamps"));
        var tailLines = Integer(First(query, "tailLines"));
        var limitBytes = Integer(First(query, "limitBytes"));
        return new PodLogOptions(follow, previous, sinceSeconds, sinceTime, timestamps, tailLines, limitBytes, First(query, "stream"));
    }

    /// <summary>kube's <c>ValidatePodLogOptions</c> with the gates of 1.32 at their defaults.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (TailLines < 0)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("tailLines"), TailLines, "must be greater than or equal to 0"));
        }

        if (LimitBytes < 1)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("limitBytes"), LimitBytes, "must be greater than 0"));
        }

        if (SinceSeconds is not null && SinceTime is not null)
        {
            // kube names no field here: field.NewPath("") renders as "[]".
            errors.Add(FieldErrors.Forbidden(FieldPath.Root.Key(""), "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        else if (SinceSeconds < 1)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("sinceSeconds"), SinceSeconds, "must be greater than 0"));
        }

        if (Stream is not null)
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Of("stream"), "may not be specified"));
        }

        return errors;
    }

    /// <summary>
    /// The query for the agent's <c>containerLogs</c>, normalized as the apiserver's <c>LogLocation</c> writes it for the
    /// kubelet: flags only when set and as <c>true</c>, <c>sinceTime</c> in RFC 3339 to the second.
    /// </summary>
    public QueryString AgentQuery()
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        if (Follow)
        {
            parameters.Add(new("follow", "true"));
        }

        if (Previous)
        {
            parameters.Add(new("previous", "true"));
        }

        if (Timestamps)
        {
            parameters.Add(new("timestamps", "true"));
        }

        if (SinceSeconds is { } seconds)
        {
            parameters.Add(new("sinceSeconds", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        if (SinceTime is { } since)
        {
            parameters.Add(new("sinceTime", since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        }

        if (TailLines is { } lines)
        {
            parameters.Add(new("tailLines", lines.ToString(CultureInfo.InvariantCulture)));
        }

        if (LimitBytes is { } bytes)
        {
            parameters.Add(new("limitBytes", bytes.ToString(CultureInfo.InvariantCulture)));
        }

        return QueryString.Create(parameters);
    }

    // Go's url.Values is case-sensitive where ASP.NET's query is not: kube ignores ?TailLines=-1.
    private static string? First(IQueryCollection query, string name) =>
        query.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Value is { Count: > 0 } values ? values[0] : null;

    // apimachinery's Convert_Slice_string_To_bool: only "0" and "false" in any case are false; "", "maybe" are true.
    private static bool Boolean(string? value) =>
        value is not null && value != "0" && !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    private static long? Integer(string? value) =>
        value is null ? null : GoInt64.TryParse(value, out var number, out var error) ? number : throw ApiException.BadRequest(error);

    // metav1.Time's UnmarshalQueryParameter: an empty value or "null" is the zero time, which is still a sinceTime.
    private static DateTimeOffset? Time(string? value) => value switch
    {
        null => null,
        "" or "null" => DateTimeOffset.MinValue,
        _ => GoRfc3339.TryParse(value, out var time, out var error) ? time : throw ApiException.BadRequest(error),
    };
}
