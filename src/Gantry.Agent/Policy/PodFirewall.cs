namespace Gantry.Agent.Policy;

/// <summary>
/// What the NetworkPolicies that select one pod let in and out of it, resolved to addresses and ports. A direction is
/// null where no policy isolates the pod in it (everything passes); otherwise only what one of its rules allows passes,
/// besides replies and traffic to and from the pod's own node, which kube's NetworkPolicy always lets through.
/// </summary>
public sealed record PodFirewall(IReadOnlyList<FirewallRule>? Ingress, IReadOnlyList<FirewallRule>? Egress)
{
    public static PodFirewall Open { get; } = new(null, null);

    public bool IsOpen => Ingress is null && Egress is null;
}
