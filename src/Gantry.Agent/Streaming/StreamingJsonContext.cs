using System.Text.Json.Serialization;

namespace Gantry.Agent.Streaming;

/// <summary>Source-generated JSON for the resize messages; Go's decoder matches names case-insensitively, and so does this.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TerminalSize))]
internal sealed partial class StreamingJsonContext : JsonSerializerContext;
