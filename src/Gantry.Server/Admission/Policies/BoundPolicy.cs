namespace Gantry.Server.Admission.Policies;

/// <summary>A policy and the bindings that apply it, in name order.</summary>
public sealed record BoundPolicy(ValidatingPolicy Policy, IReadOnlyList<PolicyBinding> Bindings);
