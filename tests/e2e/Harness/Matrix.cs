namespace Gantry.E2E.Harness;

/// <summary>
/// Which kubectl versions a test class runs with. Tests of the node's workloads (limits, probes,
/// termination, images, agent restarts) use kubectl only to create and read objects, in ways every
/// version shares, so run-kubectl-matrix.sh runs them with the default kubectl alone.
/// </summary>
public static class Matrix
{
    public const string Trait = "Matrix";

    public const string DefaultKubectlOnly = "default-kubectl-only";
}
