using System.Text.Json.Serialization;

namespace Gantry.Core.Metrics;

/// <summary>The agent writes and the API server reads <see cref="StatsSummary"/> with the kubelet's camelCase names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StatsSummary))]
public sealed partial class StatsJsonContext : JsonSerializerContext;
