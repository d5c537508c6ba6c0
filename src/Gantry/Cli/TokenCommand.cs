using System.Text;
using Gantry.Agent.Join;
using Gantry.Core.Security;
using Gantry.Server.Security;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry token create|list|delete</c>: join tokens, kept as bootstrap-token Secrets through the
/// API with the admin kubeconfig of the data directory, as <c>kubeadm token</c> keeps them.
/// </summary>
public static class TokenCommand
{
    public const string Usage = """
          gantry token create [--ttl 24h] [--description TEXT] [--data-dir DIR]
                                                            make a join token for 'gantry agent --server URL --token T'
          gantry token list [--data-dir DIR]                list the bootstrap tokens
          gantry token delete ID [--data-dir DIR]           delete a bootstrap token (its id or the whole token)
        """;

    private static readonly string[] ListHeader = ["TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"];

    public static async Task<int> RunAsync(string[] args)
    {
        var positional = new List<string>();
        var rest = new List<string>();
        string? ttlText = null;
        string? description = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = Flags.Split(args, ref i);
            switch (name)
            {
                case "--ttl":
                    ttlText = value;
                    break;
                case "--description":
                    description = value;
                    break;
                case null:
                    positional.Add(args[i]);
                    break;
                default:
                    rest.Add($"{name}={value}");
                    break;
            }
        }

        var flags = Flags.Parse([.. rest]);
        var kubeconfig = Kubeconfig.PathIn(flags.DataDirectory);
        if (positional is not ([("create" or "list")] or ["delete", _]))
        {
            throw new UsageException("usage:\n" + Usage);
        }

        if (!File.Exists(kubeconfig))
        {
            Console.Error.WriteLine($"error: no kubeconfig at {kubeconfig}; run this on the server host, or pass the server's --data-dir");
            return 1;
        }

        var ttl = GoDuration.Parse(ttlText ?? "24h", "--ttl");
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        try
        {
            return positional[0] switch
            {
                "create" => await CreateAsync(client, flags.DataDirectory, ttl, description).ConfigureAwait(false),
                "list" => await ListAsync(client).ConfigureAwait(false),
                _ => await DeleteAsync(client, positional[1]).ConfigureAwait(false),
            };
        }
        catch (HttpOperationException ex)
        {
            Console.Error.WriteLine($"error: the server refused: {(int)ex.Response.StatusCode} {ex.Response.Content}");
            return 1;
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: cannot reach the server in {kubeconfig}: {ex.Message}; is 'gantry server' running?");
            return 1;
        }
    }

    /// <summary>Creates a fresh token's Secret and prints the K10 join token, which carries the hash of the cluster CA.</summary>
    private static async Task<int> CreateAsync(Kubernetes client, string dataDirectory, TimeSpan ttl, string? description)
    {
        Console.Out.WriteLine(await CreateJoinTokenAsync(client, dataDirectory, ttl, description, CancellationToken.None).ConfigureAwait(false));
        return 0;
    }

    /// <summary>Stores a fresh bootstrap token's Secret and returns the K10 join token, which carries the hash of the cluster CA.</summary>
    /// <param name="dataDirectory">The server's data directory, which holds the CA.</param>
    public static async Task<string> CreateJoinTokenAsync(Kubernetes client, string dataDirectory, TimeSpan ttl, string? description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var caBundle = await File.ReadAllBytesAsync(ClusterCredentials.CaPathIn(dataDirectory), cancellationToken).ConfigureAwait(false);
        var token = BootstrapToken.Generate();
        var secret = BootstrapTokenSecrets.Create(token, ttl, description, TimeProvider.System.GetUtcNow());
        await client.CoreV1.CreateNamespacedSecretAsync(secret, BootstrapTokenSecret.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return JoinToken.Format(caBundle, token);
    }

    /// <summary>The columns of <c>kubeadm token list</c>.</summary>
    private static async Task<int> ListAsync(Kubernetes client)
    {
        var secrets = await client.CoreV1.ListNamespacedSecretAsync(BootstrapTokenSecret.Namespace).ConfigureAwait(false);
        var now = TimeProvider.System.GetUtcNow();
        var rows = new List<string[]> { ListHeader };
        foreach (var secret in secrets.Items.Where(s => s.Type == BootstrapTokenSecret.Type).OrderBy(s => s.Name(), StringComparer.Ordinal))
        {
            var data = secret.Data ?? new Dictionary<string, byte[]>();
            string? Text(string key) => data.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null;
            var id = Text(BootstrapTokenSecret.TokenIdKey);
            var tokenSecret = Text(BootstrapTokenSecret.TokenSecretKey);
            if (id is null || tokenSecret is null || secret.Name() != BootstrapTokenSecret.NamePrefix + id)
            {
                continue;
            }

            var expiration = Text(BootstrapTokenSecret.ExpirationKey);
            var expires = expiration is not null && DateTimeOffset.TryParse(expiration, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : (DateTimeOffset?)null;
            var usages = data.Where(d => d.Key.StartsWith(BootstrapTokenSecret.UsagePrefix, StringComparison.Ordinal) && Encoding.UTF8.GetString(d.Value) == "true")
                .Select(d => d.Key[BootstrapTokenSecret.UsagePrefix.Length..]).Order(StringComparer.Ordinal);
            rows.Add([
                $"{id}.{tokenSecret}",
                expires is { } e ? GoDuration.ShortHuman(e - now) : "<forever>",
                expires is { } f ? BootstrapTokenSecret.FormatExpiration(f) : "<never>",
                string.Join(",", usages),
                string.IsNullOrEmpty(Text(BootstrapTokenSecret.DescriptionKey)) ? "<none>" : Text(BootstrapTokenSecret.DescriptionKey)!,
                string.IsNullOrEmpty(Text(BootstrapTokenSecret.ExtraGroupsKey)) ? "<none>" : Text(BootstrapTokenSecret.ExtraGroupsKey)!,
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToList();
        foreach (var row in rows)
        {
            Console.Out.WriteLine(string.Join("   ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        return 0;
    }

    /// <summary>Deletes by id or by whole token (bootstrap or K10), as <c>kubeadm token delete</c> accepts either.</summary>
    private static async Task<int> DeleteAsync(Kubernetes client, string tokenOrId)
    {
        var id = BootstrapToken.IsValidId(tokenOrId) ? tokenOrId : ParseId(tokenOrId);
        try
        {
            await client.CoreV1.DeleteNamespacedSecretAsync(BootstrapTokenSecret.NamePrefix + id, BootstrapTokenSecret.Namespace).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            Console.Error.WriteLine($"error: bootstrap token \"{id}\" not found; 'gantry token list' shows the tokens");
            return 1;
        }

        Console.Out.WriteLine($"bootstrap token \"{id}\" deleted");
        return 0;
    }

    private static string ParseId(string token)
    {
        try
        {
            return JoinToken.Parse(token).Token.Id;
        }
        catch (FormatException)
        {
            throw new UsageException($"\"{token}\" is neither a token id ([a-z0-9]{{6}}) nor a token");
        }
    }
}
