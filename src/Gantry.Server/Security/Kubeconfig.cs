using System.Text;

namespace Gantry.Server.Security;

/// <summary>The admin kubeconfig: the cluster's CA, the server URL and the admin bearer token.</summary>
public static class Kubeconfig
{
    public static string Render(string serverUrl, string caPem, string token)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: gantry
              cluster:
                server: {serverUrl}
                certificate-authority-data: {ca}
            users:
            - name: admin
              user:
                token: {token}
            contexts:
            - name: gantry
              context:
                cluster: gantry
                user: admin
                namespace: default
            current-context: gantry

            """;
    }

    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, "kubeconfig");
}
