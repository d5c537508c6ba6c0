using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// A resource whose objects hold shared, exclusive values the server hands out (cluster IPs, node
/// ports). The registry calls it after validation and before the commit, so that two writes can never
/// be given the same value, and after a deletion, so that the value can be handed out again.
/// </summary>
public interface IAllocationHook
{
    ResourceType Type { get; }

    /// <summary>
    /// Reserves what <paramref name="obj"/> needs and writes it into the object; <paramref name="old"/> is
    /// null on create. Throws an <see cref="Api.ApiException"/> (422) when a requested value is taken or
    /// out of range. A dry run checks without keeping anything reserved.
    /// </summary>
    IAllocationTransaction Allocate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, bool dryRun);

    /// <summary>Frees what a deleted object held, once its deletion is committed.</summary>
    void Release(JsonObject deleted);
}
