namespace Gantry.Server.Api.Discovery;

/// <summary>
/// A ready-to-send discovery answer. Send <see cref="Body"/> with exactly <see cref="ContentType"/>:
/// kubectl decides from the Content-Type, not from the body, whether the answer is aggregated.
/// Answers that depend on the Accept header should also carry <c>Vary: Accept</c>.
/// </summary>
public sealed record DiscoveryDocument(byte[] Body, string ContentType);
