using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gantry.Agent.Streaming;

/// <summary>
/// How a remote command ended, in the form the kubelet writes to the error stream: a metav1.Status
/// (v4 and later protocols) or, in older protocols, just the message of a failure.
/// kubectl turns reason <c>NonZeroExitCode</c> with an <c>ExitCode</c> cause into its own exit code.
/// </summary>
internal sealed class ExecStatus
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string? _reason;
    private readonly int _code;
    private readonly string? _causeReason;
    private readonly string? _causeMessage;

    private ExecStatus(string? reason, string? message, int code, string? causeReason, string? causeMessage)
    {
        _reason = reason;
        Message = message;
        _code = code;
        _causeReason = causeReason;
        _causeMessage = causeMessage;
    }

    public static ExecStatus Success { get; } = new(null, null, 0, null, null);

    public bool IsSuccess => _reason is null;

    /// <summary>What went wrong, as kubectl prints it; null on success.</summary>
    public string? Message { get; }

    /// <summary>The command ran and exited with <paramref name="exitCode"/> (not 0); worded as containerd's errors are.</summary>
    public static ExecStatus NonZeroExitCode(IReadOnlyList<string> command, int exitCode) => new(
        "NonZeroExitCode",
        $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
        0,
        "ExitCode",
        exitCode.ToString(CultureInfo.InvariantCulture));

    /// <summary>The command could not be run at all.</summary>
    public static ExecStatus InternalError(string error) =>
        new("InternalError", $"Internal error occurred: {error}", 500, null, error);

    /// <summary>The metav1.Status JSON, with Go's field order and omissions.</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteString("status", IsSuccess ? "Success" : "Failure");
            if (Message is not null)
            {
                json.WriteString("message", Message);
            }

            if (_reason is not null)
            {
                json.WriteString("reason", _reason);
            }

            if (_causeMessage is not null)
            {
                json.WriteStartObject("details");
                json.WriteStartArray("causes");
                json.WriteStartObject();
                if (_causeReason is not null)
                {
                    json.WriteString("reason", _causeReason);
                }

                json.WriteString("message", _causeMessage);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (_code != 0)
            {
                json.WriteNumber("code", _code);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What protocols before v4 write: nothing on success, the bare message on failure.</summary>
    public byte[] ToText() => IsSuccess ? [] : Encoding.UTF8.GetBytes(Message ?? string.Empty);

    public byte[] Encode(string protocol) => StreamProtocols.ReportsStatusAsJson(protocol) ? ToJson() : ToText();
}
