using Gantry.Server.Registry.CustomResources;
using k8s.Models;
using static Gantry.Server.Registry.CustomResources.DefinitionConditions;

namespace Gantry.Server.Controllers.CustomResources;

/// <summary>The status conditions kube's apiextensions controllers write on a CustomResourceDefinition.</summary>
public static class DefinitionStatus
{
    /// <summary>
    /// The naming and establishing controllers' verdict: without a conflict the names are accepted and the definition
    /// established; with one, the names stay as accepted before (none for a new definition) and it is established only
    /// if it was already. The storage version joins <c>storedVersions</c>.
    /// </summary>
    public static void Accept(V1CustomResourceDefinition definition, CustomResourceDefinitionController.NameConflict? conflict, DateTime now)
    {
        var status = definition.Status ??= new V1CustomResourceDefinitionStatus();
        if (conflict is null)
        {
            status.AcceptedNames = definition.Spec.Names;
            Set(status, NamesAccepted, "True", "NoConflicts", "no conflicts found", now);
            Set(status, Established, "True", "InitialNamesAccepted", "the initial names have been accepted", now);
        }
        else
        {
            status.AcceptedNames ??= new V1CustomResourceDefinitionNames { Kind = "", Plural = "" };
            Set(status, NamesAccepted, "False", conflict.Reason, conflict.Message, now);
            if (!DefinitionConditions.IsTrue(definition, Established))
            {
                Set(status, Established, "False", "NotAccepted", "not all names are accepted", now);
            }
        }

        var storage = definition.Spec.Versions.FirstOrDefault(v => v.Storage)?.Name;
        status.StoredVersions ??= [];
        if (storage is not null && !status.StoredVersions.Contains(storage))
        {
            status.StoredVersions.Add(storage);
        }
    }

    /// <summary>The finalizer controller's mark on a definition whose resources it is deleting.</summary>
    public static void Terminate(V1CustomResourceDefinition definition, DateTime now) =>
        Set(definition.Status ??= new V1CustomResourceDefinitionStatus(), Terminating, "True", "InstanceDeletionInProgress",
            "CustomResource deletion is in progress", now);

    public static bool IsTerminating(V1CustomResourceDefinition definition) => DefinitionConditions.IsTrue(definition, Terminating);

    /// <summary>Sets a condition; its transition time moves only when its status does, as kube's helpers keep it.</summary>
    private static void Set(V1CustomResourceDefinitionStatus status, string type, string value, string reason, string message, DateTime now)
    {
        status.Conditions ??= [];
        var existing = status.Conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            status.Conditions.Add(new V1CustomResourceDefinitionCondition
            {
                Type = type, Status = value, Reason = reason, Message = message, LastTransitionTime = now,
            });
            return;
        }

        if (existing.Status != value)
        {
            existing.LastTransitionTime = now;
        }

        (existing.Status, existing.Reason, existing.Message) = (value, reason, message);
    }
}
