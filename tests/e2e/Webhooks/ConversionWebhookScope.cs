using Gantry.E2E.Harness;

namespace Gantry.E2E.Webhooks;

/// <summary>
/// One test's custom resource definition with a conversion webhook: its group, namespace and
/// <see cref="TestWebhookServer"/>. Definitions are cluster-wide and the cluster is shared, so disposing the scope deletes
/// the definition, and with it its objects, while the webhook still answers (no other test's discovery, list or
/// garbage collection then meets a webhook that is gone), then stops the server.
/// </summary>
public sealed class ConversionWebhookScope : IAsyncDisposable
{
    private readonly Kubectl _kubectl;

    /// <summary>Takes over <paramref name="server"/>, which the scope stops when disposed.</summary>
    public ConversionWebhookScope(string group, string definition, string ns, TestWebhookServer server, Kubectl kubectl)
    {
        Group = group;
        Definition = definition;
        Namespace = ns;
        Server = server;
        _kubectl = kubectl;
    }

    /// <summary>The definition's API group, the test's own.</summary>
    public string Group { get; }

    /// <summary>The definition's name (<c>PLURAL.GROUP</c>), deleted when the scope is disposed.</summary>
    public string Definition { get; }

    /// <summary>The test's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The test's webhook server.</summary>
    public TestWebhookServer Server { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _kubectl.RunAsync(["delete", "crd", Definition, "--ignore-not-found", "--timeout=30s"],
                new KubectlOptions { Timeout = TimeSpan.FromSeconds(40) });
        }
        finally
        {
            await Server.DisposeAsync();
        }
    }
}
