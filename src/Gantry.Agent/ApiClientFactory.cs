using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Gantry.Agent;

/// <summary>The agent talks to its server with the official Kubernetes client, over HTTPS, trusting only the cluster CA.</summary>
public static class ApiClientFactory
{
    public static Kubernetes Create(AgentOptions options)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(options.CaPem);
        return new Kubernetes(new KubernetesClientConfiguration
        {
            Host = options.Server.ToString(),
            AccessToken = options.Token,
            SslCaCerts = ca,
            UserAgent = "gantry-agent",
        });
    }
}
