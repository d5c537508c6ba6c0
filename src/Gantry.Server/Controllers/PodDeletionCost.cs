using System.Globalization;
using Gantry.Core.Validation;

namespace Gantry.Server.Controllers;

/// <summary>
/// The <c>controller.kubernetes.io/pod-deletion-cost</c> annotation: a replica set or replication controller scaling
/// down deletes pods of lower cost first. The API refuses a value that is not a 32-bit integer; no annotation is cost 0.
/// </summary>
public static class PodDeletionCost
{
    public const string Annotation = "controller.kubernetes.io/pod-deletion-cost";

    private static readonly FieldPath Path = FieldPath.Of("metadata").Child("annotations").Key(Annotation);

    /// <summary>The pod's cost; 0 without the annotation, or with one the API would have refused.</summary>
    public static int Of(IDictionary<string, string>? annotations) =>
        annotations?.TryGetValue(Annotation, out var value) == true && TryParse(value, out var cost) ? cost : 0;

    /// <summary>kube's ValidatePodSpecificAnnotations check of the annotation.</summary>
    public static void Validate(IDictionary<string, string>? annotations, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (annotations?.TryGetValue(Annotation, out var value) == true && !TryParse(value, out _))
        {
            errors.Add(FieldErrors.Invalid(Path, value, "must be a 32bit integer"));
        }
    }

    // As Go's strconv.ParseInt(value, 10, 32): an optional sign and decimal digits, nothing else.
    private static bool TryParse(string value, out int cost) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out cost);
}
