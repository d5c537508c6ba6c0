using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
using Gantry.Core.Validation;
using Gantry.Server.Api;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// The strict validation kube gives Events written through events.k8s.io/v1 (<c>ValidateEventCreate</c> and
/// <c>ValidateEventUpdate</c> for a request version past core/v1), on top of the legacy rules every Event passes: a new
/// event has an <c>eventTime</c>, a type of Normal or Warning, a series of at least two, and none of the older event's
/// bookkeeping (<c>firstTimestamp</c>, <c>lastTimestamp</c>, <c>count</c>, <c>source</c>); an update changes only the
/// series. The fields are named as kube names them, by the core type's fields.
/// </summary>
public sealed class EventsV1Validation : IWriteAdmission
{
    private static readonly string[] Types = ["Normal", "Warning"];

    public void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options)
    {
        if (options.ServedApiVersion != EventsV1Conversion.ApiVersion || obj is not Corev1Event written)
        {
            return;
        }

        var errors = old is Corev1Event stored ? ValidateUpdate(written, stored) : ValidateCreate(written);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, written.Name() ?? "", errors);
        }
    }

    private static List<FieldError> ValidateCreate(Corev1Event written)
    {
        var errors = ValidateSeries(written);
        if (written.EventTime is null)
        {
            errors.Add(FieldErrors.Required(FieldPath.Of("eventTime")));
        }

        if (!Types.Contains(written.Type))
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("type"), "", $"has invalid value: {written.Type}"));
        }

        var unset = new (string Field, bool Set)[]
        {
            ("firstTimestamp", written.FirstTimestamp is not null),
            ("lastTimestamp", written.LastTimestamp is not null),
            ("count", written.Count is not null and not 0),
            ("source", !string.IsNullOrEmpty(written.Source?.Component) || !string.IsNullOrEmpty(written.Source?.Host)),
        };
        errors.AddRange(unset.Where(u => u.Set).Select(u => FieldErrors.Invalid(FieldPath.Of(u.Field), "", "needs to be unset")));
        return errors;
    }

    private static List<FieldError> ValidateUpdate(Corev1Event written, Corev1Event stored)
    {
        var errors = Same(written.Series, stored.Series) ? [] : ValidateSeries(written);
        var immutable = new (string Field, object? New, object? Old)[]
        {
            ("involvedObject", written.InvolvedObject, stored.InvolvedObject),
            ("reason", written.Reason, stored.Reason),
            ("message", written.Message, stored.Message),
            ("source", written.Source, stored.Source),
            ("firstTimestamp", written.FirstTimestamp, stored.FirstTimestamp),
            ("lastTimestamp", written.LastTimestamp, stored.LastTimestamp),
            ("count", written.Count, stored.Count),
            ("type", written.Type, stored.Type),
            ("eventTime", written.EventTime, stored.EventTime),
            ("action", written.Action, stored.Action),
            ("related", written.Related, stored.Related),
            ("reportingController", written.ReportingComponent, stored.ReportingComponent),
            ("reportingInstance", written.ReportingInstance, stored.ReportingInstance),
        };
        errors.AddRange(immutable.Where(f => !Same(f.New, f.Old))
            .Select(f => FieldErrors.Immutable(FieldPath.Of(f.Field), f.New as string ?? (object?)Json(f.New))));
        return errors;
    }

    /// <summary>kube's <c>validateV1EventSeries</c>.</summary>
    private static List<FieldError> ValidateSeries(Corev1Event written)
    {
        var errors = new List<FieldError>();
        if (written.Series is { } series)
        {
            if (series.Count is null or < 2)
            {
                errors.Add(FieldErrors.Invalid(FieldPath.Of("series.count"), "", "should be at least 2"));
            }

            if (series.LastObservedTime is null)
            {
                errors.Add(FieldErrors.Required(FieldPath.Of("series.lastObservedTime")));
            }
        }

        return errors;
    }

    /// <summary>
    /// Whether two values are one to kube, which compares Go values: a field left out is its zero value there, so an
    /// absent <c>source</c> is <c>{}</c>, an absent <c>count</c> 0 and an absent string "".
    /// </summary>
    private static bool Same(object? a, object? b) => Canonical(a) == Canonical(b);

    private static string Canonical(object? value) => Json(value) is "null" or "{}" or "0" or "\"\"" or "[]" ? "" : Json(value);

    private static string Json(object? value) => value is null ? "null" : KubernetesJson.Serialize(value);
}
