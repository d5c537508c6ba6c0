namespace Gantry.Agent.Streaming;

/// <summary>The <c>streamtype</c> header values kubectl puts on its SPDY streams, and the channel numbers of the WebSocket protocols.</summary>
internal static class StreamTypes
{
    public const string Header = "streamtype";
    public const string PortHeader = "port";
    public const string RequestIdHeader = "requestid";

    public const string Error = "error";
    public const string Stdin = "stdin";
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";
    public const string Resize = "resize";
    public const string Data = "data";

    public const byte StdinChannel = 0;
    public const byte StdoutChannel = 1;
    public const byte StderrChannel = 2;
    public const byte ErrorChannel = 3;
    public const byte ResizeChannel = 4;
}
