namespace Gantry.Server.Controllers;

/// <summary>An ownerReference as the garbage collector needs it.</summary>
public sealed record OwnerGraphReference(string ApiVersion, string Kind, string Name, string Uid, bool Controller, bool BlockOwnerDeletion);
