using System.Text.Json.Serialization;

namespace Gantry.Agent.Images;

/// <summary>Serialization of the store's own records (foreign manifests are read with JsonDocument).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(LayerWhiteouts))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
