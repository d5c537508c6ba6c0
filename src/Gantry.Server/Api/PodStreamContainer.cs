using System.Text.Json.Nodes;

namespace Gantry.Server.Api;

/// <summary>
/// The container a log, exec or attach request is for, as kube-apiserver picks it before it asks the node: the one
/// named, which the pod must have (among its init, regular and ephemeral containers), or the pod's only container. A
/// pod of several containers needs a name, and the error lists them in kube's words, which differ between logs
/// (<c>validateContainer</c>) and exec or attach (<c>streamLocation</c>).
/// </summary>
public static class PodStreamContainer
{
    public static string Resolve(JsonNode pod, string podName, string? requested, bool forLogs)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var init = Names(pod, "initContainers");
        var regular = Names(pod, "containers");
        var ephemeral = Names(pod, "ephemeralContainers");
        if (!string.IsNullOrEmpty(requested))
        {
            return init.Concat(regular).Concat(ephemeral).Contains(requested, StringComparer.Ordinal)
                ? requested
                : throw ApiException.BadRequest($"container {requested} is not valid for pod {podName}");
        }

        switch (regular.Count)
        {
            case 1:
                return regular[0];
            case 0:
                throw ApiException.BadRequest($"a container name must be specified for pod {podName}");
        }

        if (forLogs)
        {
            throw ApiException.BadRequest(
                $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', init.Concat(regular).Concat(ephemeral))}]");
        }

        var message = $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', regular)}]";
        throw ApiException.BadRequest(init.Count > 0 ? $"{message} or one of the init containers: [{string.Join(' ', init)}]" : message);
    }

    private static List<string> Names(JsonNode pod, string field) =>
        (pod["spec"]?[field] as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>() ?? "").ToList();
}
