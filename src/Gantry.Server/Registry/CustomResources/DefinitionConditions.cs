using k8s.Models;

namespace Gantry.Server.Registry.CustomResources;

/// <summary>The status conditions of a CustomResourceDefinition that decide how its resources are served.</summary>
public static class DefinitionConditions
{
    public const string NamesAccepted = "NamesAccepted";
    public const string Established = "Established";
    public const string Terminating = "Terminating";

    public static bool IsTrue(V1CustomResourceDefinition definition, string type) =>
        definition.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
}
