namespace Gantry.Tests.Protobuf;

/// <param name="Protobuf">The protobuf body kubectl 1.32 or 1.33 sent, base64.</param>
/// <param name="Json">The body kubectl 1.27 sent for the same command.</param>
internal sealed record KubectlCapture(string Name, string Command, string Protobuf, string Json);
