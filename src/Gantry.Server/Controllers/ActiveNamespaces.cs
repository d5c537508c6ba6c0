using Gantry.Server.Api;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// For the loops that give every namespace its own objects (a default service account, the root CA): a namespace that is
/// gone or being deleted gets none, and a create it refuses because its deletion began meanwhile is no failure.
/// </summary>
internal static class ActiveNamespaces
{
    public static bool AcceptsContent(V1Namespace? ns) =>
        ns is not null && ns.Status?.Phase != "Terminating" && ns.Metadata.DeletionTimestamp is null;

    public static bool IsTerminatingRefusal(ApiException ex) =>
        ex.Code == 403 && ex.Message.Contains("being terminated", StringComparison.Ordinal);
}
