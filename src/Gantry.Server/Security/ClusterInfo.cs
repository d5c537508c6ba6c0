using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// The <c>kube-public/cluster-info</c> ConfigMap kubeadm publishes: <c>data.kubeconfig</c> holds the
/// server URL and the cluster CA and no credentials. A joining agent reads it anonymously, before it
/// trusts the server, and checks the CA against the hash in its join token.
/// </summary>
public static class ClusterInfo
{
    public const string Namespace = "kube-public";

    public const string Name = "cluster-info";

    public const string KubeconfigKey = "kubeconfig";

    /// <summary>The one path a request without credentials may GET (kubeadm's RBAC: get on this resourceName only).</summary>
    public const string Path = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

    private static readonly ResourceType ConfigMaps = ResourceCatalog.Get("", "configmaps");

    /// <summary>A plain GET of exactly the cluster-info object: not a list, not a watch, no other verb.</summary>
    public static bool IsAnonymousRead(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsGet(request.Method) && request.Path.Equals(Path, StringComparison.Ordinal) && !request.Query.ContainsKey("watch");
    }

    /// <summary>The kubeconfig kubeadm writes into cluster-info: one unnamed cluster, no users, no contexts.</summary>
    public static string RenderKubeconfig(string serverUrl, string caPem)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        return $"""
            apiVersion: v1
            clusters:
            - cluster:
                certificate-authority-data: {ca}
                server: {serverUrl}
              name: ""
            contexts: null
            current-context: ""
            kind: Config
            preferences: {"{}"}
            users: null

            """;
    }

    /// <summary>
    /// The URL cluster-info advertises: the server's own URL, or when it listens on every interface,
    /// its advertise address (the one the <c>kubernetes</c> Service points at) rather than loopback.
    /// Agents keep using the <c>--server</c> URL they were given; this one is for other readers.
    /// </summary>
    public static string AdvertisedUrl(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Address.Equals(IPAddress.Any)
            ? new UriBuilder("https", KubernetesServiceObjects.AdvertiseAddress(options.Address).ToString(), options.ApiPort).Uri.ToString().TrimEnd('/')
            : options.Url;
    }

    /// <summary>Creates cluster-info, or brings its kubeconfig up to date when the server URL or CA changed.</summary>
    public static async Task EnsureAsync(ObjectRegistry registry, string serverUrl, string caPem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var kubeconfig = RenderKubeconfig(serverUrl, caPem);
        var options = new WriteOptions(FieldManager: "gantry");
        if (registry.Get(ConfigMaps, Namespace, Name) is null)
        {
            var configMap = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace },
                ["data"] = new JsonObject { [KubeconfigKey] = kubeconfig },
            };
            try
            {
                await registry.CreateAsync(ConfigMaps, Namespace, configMap, options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Created concurrently: brought up to date below.
            }
        }

        await registry.MutateAsync(ConfigMaps, Namespace, Name, current =>
        {
            if (current["data"] is not JsonObject data)
            {
                data = [];
                current["data"] = data;
            }

            data[KubeconfigKey] = kubeconfig;
            return current;
        }, null, null, options, cancellationToken).ConfigureAwait(false);
    }
}
