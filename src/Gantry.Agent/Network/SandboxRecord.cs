namespace Gantry.Agent.Network;

/// <summary>
/// What the network remembers of a sandbox it made: whose it is and the bridge plugin's ADD result, which CHECK
/// needs and DEL should be given (the libcni result cache, in Gantry's state directory).
/// </summary>
internal sealed record SandboxRecord(string PodUid, string PodName, string PodNamespace, string NetworkNamespace, string ResultJson);
