using System.Text.Json.Serialization;

namespace Gantry.Agent.Runtimes;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ContainerCheckpoint))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
