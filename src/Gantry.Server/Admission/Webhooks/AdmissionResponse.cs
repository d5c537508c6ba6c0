using System.Text.Json.Nodes;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>A webhook's verdict: allowed or not (with its Status), the JSON Patch a mutating webhook returns, and warnings.</summary>
public sealed record AdmissionResponse(bool Allowed, JsonObject? Status, byte[]? Patch, string? PatchType, IReadOnlyList<string> Warnings);
