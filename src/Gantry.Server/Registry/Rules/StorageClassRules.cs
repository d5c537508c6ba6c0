using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// StorageClasses (storage.k8s.io/v1), as kube's <c>SetDefaults_StorageClass</c>, <c>ValidateStorageClass</c> and
/// <c>ValidateStorageClassUpdate</c> treat them: a provisioner that is a qualified name, parameters within kube's limits,
/// reclaim policy Delete or Retain (default Delete), binding mode Immediate or WaitForFirstConsumer (default Immediate);
/// what provisions the volumes (provisioner, parameters, reclaim policy, binding mode) never changes.
/// </summary>
public sealed class StorageClassRules() : ResourceRules<V1StorageClass>(ResourceCatalog.Get("storage.k8s.io", "storageclasses"))
{
    /// <summary>kube's <c>maxProvisionerParameterLen</c>: how many parameters a class may have.</summary>
    private const int MaxParameters = 512;

    /// <summary>kube's <c>maxProvisionerParameterSize</c>: the parameters' keys and values together, in bytes.</summary>
    private const int MaxParametersSize = 256 * 1024;

    private static readonly string[] ReclaimPolicies = ["Delete", "Retain"];
    private static readonly string[] BindingModes = ["Immediate", "WaitForFirstConsumer"];

    private static readonly FieldPath Provisioner = FieldPath.Of("provisioner");
    private static readonly FieldPath Parameters = FieldPath.Of("parameters");
    private static readonly FieldPath ReclaimPolicy = FieldPath.Of("reclaimPolicy");
    private static readonly FieldPath BindingMode = FieldPath.Of("volumeBindingMode");

    protected override void Default(V1StorageClass obj)
    {
        obj.ReclaimPolicy ??= "Delete";
        obj.VolumeBindingMode ??= "Immediate";
    }

    protected override void Validate(V1StorageClass obj, List<FieldError> errors)
    {
        var provisioner = obj.Provisioner ?? "";
        if (provisioner.Length == 0)
        {
            errors.Add(FieldErrors.Required(Provisioner));
        }
        else
        {
            errors.AddRange(FormatValidation.IsQualifiedName(provisioner.ToLowerInvariant()).Select(m => FieldErrors.Invalid(Provisioner, provisioner.ToLowerInvariant(), m)));
        }

        ValidateParameters(obj.Parameters, errors);
        if (!string.IsNullOrEmpty(obj.ReclaimPolicy) && !ReclaimPolicies.Contains(obj.ReclaimPolicy))
        {
            errors.Add(FieldErrors.NotSupported(ReclaimPolicy, obj.ReclaimPolicy, ReclaimPolicies));
        }

        if (obj.VolumeBindingMode is null)
        {
            errors.Add(FieldErrors.Required(BindingMode));
        }
        else if (!BindingModes.Contains(obj.VolumeBindingMode))
        {
            errors.Add(FieldErrors.NotSupported(BindingMode, obj.VolumeBindingMode, BindingModes));
        }

        ValidateAllowedTopologies(obj.AllowedTopologies, errors);
    }

    protected override void ValidateUpdate(V1StorageClass obj, V1StorageClass old, List<FieldError> errors)
    {
        Validate(obj, errors);
        if (!SemanticEquality.AreEqual(obj.Parameters ?? new Dictionary<string, string>(), old.Parameters ?? new Dictionary<string, string>()))
        {
            errors.Add(FieldErrors.Forbidden(Parameters, "updates to parameters are forbidden."));
        }

        if (obj.Provisioner != old.Provisioner)
        {
            errors.Add(FieldErrors.Forbidden(Provisioner, "updates to provisioner are forbidden."));
        }

        if (obj.ReclaimPolicy != old.ReclaimPolicy)
        {
            errors.Add(FieldErrors.Forbidden(ReclaimPolicy, "updates to reclaimPolicy are forbidden."));
        }

        if (obj.VolumeBindingMode != old.VolumeBindingMode)
        {
            errors.Add(FieldErrors.Immutable(BindingMode, obj.VolumeBindingMode));
        }
    }

    /// <summary>kube's <c>validateParameters</c>, empty parameters allowed.</summary>
    private static void ValidateParameters(IDictionary<string, string>? parameters, List<FieldError> errors)
    {
        if (parameters is null)
        {
            return;
        }

        if (parameters.Count > MaxParameters)
        {
            errors.Add(FieldErrors.TooLong(Parameters, MaxParameters));
            return;
        }

        long size = 0;
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key.Length == 0)
            {
                errors.Add(FieldErrors.Invalid(Parameters, key, "field can not be empty."));
            }

            size += System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (size > MaxParametersSize)
        {
            errors.Add(FieldErrors.TooLong(Parameters, MaxParametersSize));
        }
    }

    /// <summary>kube's <c>validateAllowedTopologies</c> and the <c>ValidateTopologySelectorTerm</c> it runs on each term.</summary>
    private static void ValidateAllowedTopologies(IList<V1TopologySelectorTerm>? topologies, List<FieldError> errors)
    {
        var path = FieldPath.Of("allowedTopologies");
        var seen = new List<string>();
        for (var i = 0; i < (topologies?.Count ?? 0); i++)
        {
            var at = path.Index(i);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var expressions = topologies![i].MatchLabelExpressions ?? [];
            for (var j = 0; j < expressions.Count; j++)
            {
                var expression = expressions[j];
                var expressionPath = at.Child("matchLabelExpressions").Index(j);
                errors.AddRange(ObjectMetaValidation.ValidateLabelName(expression.Key ?? "", expressionPath.Child("key")));
                if (expression.Values is not { Count: > 0 })
                {
                    errors.Add(FieldErrors.Required(expressionPath.Child("values"), "must specify as least one value"));
                }

                for (var k = 0; k < (expression.Values?.Count ?? 0); k++)
                {
                    var value = expression.Values![k];
                    errors.AddRange(FormatValidation.IsValidLabelValue(value).Select(m => FieldErrors.Invalid(expressionPath.Child("values").Index(k), value, m)));
                }

                if (!keys.Add(expression.Key ?? ""))
                {
                    errors.Add(FieldErrors.Duplicate(at.Child("matchLabelExpressions").Index(j).Child("key"), expression.Key ?? ""));
                }
            }

            // Two terms that select the same labels and values are one term twice.
            var canonical = string.Join(";", expressions.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => e.Key + "=" + string.Join(",", (e.Values ?? []).Distinct().Order(StringComparer.Ordinal))));
            if (seen.Contains(canonical))
            {
                errors.Add(FieldErrors.Duplicate(at.Child("matchLabelExpressions"), ""));
            }

            seen.Add(canonical);
        }
    }
}
