namespace Gantry.Agent.Node;

/// <summary>Where the agent serves the API server (its port) and how the server recognises it (certificate fingerprint).</summary>
public sealed record AgentEndpoint(int Port, string CertificateSha256);
