namespace Gantry.Server.Security;

/// <summary>Where the authorizer finds the current RBAC policy: <see cref="RbacAuthorizer"/> in the server, a fixed one in tests.</summary>
public interface IRbacPolicySource
{
    RbacPolicy Policy { get; }
}
