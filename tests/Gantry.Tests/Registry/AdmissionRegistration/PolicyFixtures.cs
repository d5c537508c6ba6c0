using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;

namespace Gantry.Tests.Registry.AdmissionRegistration;

/// <summary>Valid ValidatingAdmissionPolicies and bindings to break one field at a time, and the rules that check them.</summary>
internal static class PolicyFixtures
{
    public static readonly IResourceRules Policies = new ValidatingAdmissionPolicyRules();
    public static readonly IResourceRules Bindings = new ValidatingAdmissionPolicyBindingRules();

    /// <summary>A policy that limits the replicas of deployments, without parameters.</summary>
    public static V1ValidatingAdmissionPolicy Policy() => new()
    {
        Metadata = new V1ObjectMeta { Name = "replica-limit" },
        Spec = new V1ValidatingAdmissionPolicySpec
        {
            MatchConstraints = new V1MatchResources
            {
                ResourceRules =
                [
                    new V1NamedRuleWithOperations { Operations = ["CREATE", "UPDATE"], ApiGroups = ["apps"], ApiVersions = ["v1"], Resources = ["deployments"] },
                ],
            },
            Validations = [new V1Validation { Expression = "object.spec.replicas <= 5" }],
        },
    };

    public static V1ValidatingAdmissionPolicy PolicyWith(Action<V1ValidatingAdmissionPolicySpec> change)
    {
        var policy = Policy();
        change(policy.Spec);
        return policy;
    }

    /// <summary>A binding of <see cref="Policy"/> to a named ConfigMap of parameters.</summary>
    public static V1ValidatingAdmissionPolicyBinding Binding() => new()
    {
        Metadata = new V1ObjectMeta { Name = "replica-limit-prod" },
        Spec = new V1ValidatingAdmissionPolicyBindingSpec
        {
            PolicyName = "replica-limit",
            ParamRef = new V1ParamRef { Name = "limits", NamespaceProperty = "policy-system", ParameterNotFoundAction = "Deny" },
            ValidationActions = ["Deny"],
        },
    };

    public static V1ValidatingAdmissionPolicyBinding BindingWith(Action<V1ValidatingAdmissionPolicyBindingSpec> change)
    {
        var binding = Binding();
        change(binding.Spec);
        return binding;
    }

    /// <summary>What a create reports, after defaulting, as kubectl prints the causes.</summary>
    public static List<string> Errors(V1ValidatingAdmissionPolicy policy)
    {
        Policies.Default(policy);
        return Policies.ValidateCreate(policy).Select(e => e.ToString()).ToList();
    }

    public static List<string> Errors(V1ValidatingAdmissionPolicyBinding binding)
    {
        Bindings.Default(binding);
        return Bindings.ValidateCreate(binding).Select(e => e.ToString()).ToList();
    }

    public static List<string> UpdateErrors(V1ValidatingAdmissionPolicy policy, V1ValidatingAdmissionPolicy old)
    {
        Policies.Default(policy);
        Policies.Default(old);
        return Policies.ValidateUpdate(policy, old).Select(e => e.ToString()).ToList();
    }

    public static List<string> StatusErrors(V1ValidatingAdmissionPolicy policy, V1ValidatingAdmissionPolicy old) =>
        Policies.ValidateStatusUpdate(policy, old).Select(e => e.ToString()).ToList();
}
