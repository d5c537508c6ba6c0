namespace Gantry.Agent.Runtimes;

/// <summary>The ids a container's process runs with: OCI's <c>process.user</c> (uid, gid, additionalGids).</summary>
public sealed record ProcessUser(long Uid, long Gid, IReadOnlyList<long> AdditionalGids);
