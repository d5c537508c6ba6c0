using System.Text.Json;
using System.Text.Json.Serialization;
using Gantry.E2E.Harness;

namespace Gantry.E2E.Policies;

/// <summary>
/// One test's ValidatingAdmissionPolicies and ValidatingAdmissionPolicyBindings: its namespace, the names its policy and
/// binding take from it, and every policy and binding it applied. Both kinds are cluster-wide and the cluster is shared,
/// so each policy selects only the test's namespace (<see cref="NamespaceSelector"/>), and disposing the scope deletes
/// every binding it applied, then every policy (whether or not the apply succeeded).
/// </summary>
public sealed class PolicyScope : IAsyncDisposable
{
    private const string BindingKind = "ValidatingAdmissionPolicyBinding";

    private static readonly JsonSerializerOptions ManifestJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly Kubectl _kubectl;
    private readonly List<(string Kind, string Name)> _applied = [];

    /// <summary>A scope for the test whose namespace is <paramref name="ns"/>.</summary>
    public PolicyScope(string ns, Kubectl kubectl)
    {
        Namespace = ns;
        _kubectl = kubectl;
    }

    /// <summary>The test's namespace, the only one its policies select.</summary>
    public string Namespace { get; }

    /// <summary>The name of the test's policy: its namespace's.</summary>
    public string PolicyName => Namespace;

    /// <summary>The name of the test's binding: <c>NAMESPACE-binding</c>.</summary>
    public string BindingName => Namespace + "-binding";

    /// <summary>A label selector that matches the test's namespace only, by the label the server puts on every namespace.</summary>
    public object NamespaceSelector => new { matchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace } };

    /// <summary>
    /// <c>kubectl apply -f -</c> with <paramref name="manifest"/> (a policy or a binding, nulls left out) as JSON on stdin;
    /// no expectation about the outcome.
    /// </summary>
    public Task<CommandResult> ApplyAsync(object manifest)
    {
        var json = JsonSerializer.Serialize(manifest, ManifestJson);
        using (var parsed = JsonDocument.Parse(json))
        {
            var root = parsed.RootElement;
            _applied.Add((root.GetProperty("kind").GetString()!, root.GetProperty("metadata").GetProperty("name").GetString()!));
        }

        return _kubectl.RunAsync(["apply", "-f", "-"], new KubectlOptions { Stdin = json });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Bindings first: a policy without its binding no longer judges anything while the rest goes.
        foreach (var (kind, name) in _applied.Where(a => a.Kind == BindingKind).Concat(_applied.Where(a => a.Kind != BindingKind)).Distinct())
        {
            await _kubectl.RunAsync(["delete", kind.ToLowerInvariant(), name, "--ignore-not-found"], new KubectlOptions());
        }
    }
}
