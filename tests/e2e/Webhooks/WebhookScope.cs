using System.Text.Json;
using System.Text.Json.Serialization;
using Gantry.E2E.Harness;

namespace Gantry.E2E.Webhooks;

/// <summary>
/// One test's admission webhooks: its namespace, its <see cref="TestWebhookServer"/>, and the webhook configurations
/// it applied. Configurations are cluster-wide and the cluster is shared, so disposing the scope deletes every
/// configuration it applied (whether or not the apply succeeded), then stops the server.
/// </summary>
public sealed class WebhookScope : IAsyncDisposable
{
    private static readonly JsonSerializerOptions ManifestJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly Kubectl _kubectl;
    private readonly List<(string Kind, string Name)> _configurations = [];

    /// <summary>Takes over <paramref name="server"/>, which the scope stops when disposed.</summary>
    public WebhookScope(string ns, TestWebhookServer server, Kubectl kubectl)
    {
        Namespace = ns;
        Server = server;
        _kubectl = kubectl;
    }

    /// <summary>The test's namespace, the only one its webhooks select.</summary>
    public string Namespace { get; }

    /// <summary>The test's webhook server.</summary>
    public TestWebhookServer Server { get; }

    /// <summary>
    /// <c>kubectl apply -f -</c> with <paramref name="configuration"/> (a Validating- or MutatingWebhookConfiguration,
    /// nulls left out) as JSON on stdin; no expectation about the outcome.
    /// </summary>
    public Task<CommandResult> ApplyAsync(object configuration)
    {
        var json = JsonSerializer.Serialize(configuration, ManifestJson);
        using (var manifest = JsonDocument.Parse(json))
        {
            var root = manifest.RootElement;
            _configurations.Add((root.GetProperty("kind").GetString()!, root.GetProperty("metadata").GetProperty("name").GetString()!));
        }

        return _kubectl.RunAsync(["apply", "-f", "-"], new KubectlOptions { Stdin = json });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var (kind, name) in _configurations)
            {
                await _kubectl.RunAsync(["delete", kind.ToLowerInvariant(), name, "--ignore-not-found"], new KubectlOptions());
            }
        }
        finally
        {
            await Server.DisposeAsync();
        }
    }
}
