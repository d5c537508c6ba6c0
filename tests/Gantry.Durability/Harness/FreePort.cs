using System.Net;
using System.Net.Sockets;

namespace Gantry.Harness;

public static class FreePort
{
    /// <summary>A loopback port the kernel just handed out; free unless someone races us for it.</summary>
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
