using System.Text;

namespace Gantry.Server.Security;

/// <summary>Kubeconfigs for the cluster: the admin's, with the admin bearer token, and a user's, with a client certificate.</summary>
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

    /// <summary>A kubeconfig for <paramref name="user"/>, who authenticates with a client certificate and its key (PEM).</summary>
    public static string RenderForCertificate(string serverUrl, string caPem, string user, string certificatePem, string keyPem)
    {
        static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        // A JSON string is a YAML scalar whatever the name holds (colons, spaces).
        var name = System.Text.Json.JsonSerializer.Serialize(user);
        var context = System.Text.Json.JsonSerializer.Serialize(user + "@gantry");
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: gantry
              cluster:
                server: {serverUrl}
                certificate-authority-data: {Base64(caPem)}
            users:
            - name: {name}
              user:
                client-certificate-data: {Base64(certificatePem)}
                client-key-data: {Base64(keyPem)}
            contexts:
            - name: {context}
              context:
                cluster: gantry
                user: {name}
                namespace: default
            current-context: {context}

            """;
    }

    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, "kubeconfig");
}
