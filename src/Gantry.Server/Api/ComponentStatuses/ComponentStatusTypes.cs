using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Api.ComponentStatuses;

/// <summary>
/// <c>componentstatuses</c> (core v1, <c>kubectl get cs</c>): get and list only, deprecated since 1.19 as in kube, and
/// not in the resource catalog because nothing stores them: each request looks at the components
/// (<see cref="ComponentStatusEndpoint"/>).
/// </summary>
public static class ComponentStatusTypes
{
    public static readonly IReadOnlyList<string> Verbs = ["get", "list"];

    public static readonly ResourceType ComponentStatuses =
        new("", "v1", "ComponentStatus", "componentstatuses", "componentstatus", false, typeof(JsonObject), ["cs"], [], []);

    /// <summary>kube-apiserver's warning on every request for them.</summary>
    public const string Deprecation = "v1 ComponentStatus is deprecated in v1.19+";
}
