using System.Globalization;
using k8s.Models;

namespace Gantry.Agent.Probes;

/// <summary>Resolves a probe's port, a number or the name of one of the container's ports, as kubelet's ResolveContainerPort does.</summary>
public static class ProbePorts
{
    /// <summary>The port number; throws <see cref="InvalidOperationException"/> with kubelet's message when there is none.</summary>
    public static int Resolve(IntOrString? port, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var text = port?.Value ?? "";
        int number;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            var named = (container.Ports ?? []).FirstOrDefault(p => p.Name == text)
                ?? throw new InvalidOperationException($"port \"{text}\" not found");
            number = named.ContainerPort;
        }

        return number is > 0 and < 65536 ? number : throw new InvalidOperationException($"invalid port number: {number}");
    }

    /// <summary>host:port, with brackets around an IPv6 host (Go's net.JoinHostPort).</summary>
    public static string JoinHostPort(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Contains(':', StringComparison.Ordinal)
            ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
