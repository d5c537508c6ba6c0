using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Informers;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>A group's apps written or removed together (<c>POST</c>, <c>PUT</c> and <c>DELETE /v2/groups/{id}</c>).</summary>
public sealed partial class MarathonApps
{
    /// <summary>
    /// DELETE /v2/groups/{id}: every app under the group removed in one deployment; the ids of the apps removed (not those
    /// another client deleted meanwhile). 404 in Marathon's words when no app is under it.
    /// </summary>
    public async Task<(AppVersions Versions, IReadOnlyList<string> Removed)> DeleteGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var members = StoredApps().Where(a => AppGroups.Contains(groupId, a.Metadata.Annotations[AppDeployments.AppIdAnnotation])).ToList();
            if (members.Count == 0)
            {
                throw AppGroups.Unknown(groupId);
            }

            var versions = NewVersions("StopApplication", configChange: true, null);
            var removed = new List<string>();
            foreach (var app in members)
            {
                if (await RemoveAsync(app, cancellationToken).ConfigureAwait(false))
                {
                    removed.Add(app.Metadata.Annotations[AppDeployments.AppIdAnnotation]);
                }
            }

            return (versions, removed);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// POST /v2/groups (<paramref name="create"/>) and PUT /v2/groups/{id}: the apps under <paramref name="groupId"/>
    /// made what the update says (<see cref="GroupUpdate"/>), or each scaled by its <c>scaleBy</c> factor (rounded up,
    /// as Marathon rounds), in one deployment: an app it puts is created or changed (one whose definition stays the same is
    /// left alone), an app it drops is removed. <paramref name="authorize"/> judges each write (a verb on the app's own
    /// path: <c>put</c> to create or change it, <c>delete</c> to remove it) before anything is written, so a refusal
    /// changes nothing. A create of a group that exists is 409 in Marathon's words.
    /// </summary>
    public async Task<GroupWrite> UpdateGroupAsync(
        string groupId, JsonObject update, bool create, Action<string, string> authorize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(authorize);
        if (update.ContainsKey("version"))
        {
            throw MarathonException.Invalid([("/version", "Gantry keeps no versions of groups: roll each app back to one of its versions instead")]);
        }

        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = StoredApps().ToDictionary(a => a.Metadata.Annotations[AppDeployments.AppIdAnnotation], StringComparer.Ordinal);
            if (create && (groupId == AppGroups.Root || current.Keys.Any(id => AppGroups.Contains(groupId, id))))
            {
                throw MarathonException.WithMessage(409, $"Group {groupId} is already created. Use PUT to change this group.");
            }

            if (create && current.ContainsKey(groupId))
            {
                throw MarathonException.WithMessage(409, $"An app with the path {groupId} already exists.");
            }

            var (desired, removed) = update.ContainsKey("scaleBy") ? Scaled(groupId, update, current) : Changed(groupId, update, current);
            if (create && desired.Count == 0)
            {
                // Groups are where apps are: an empty group would be acknowledged and then not be there.
                throw MarathonException.Invalid([("/apps", "Gantry keeps a group only while an app is under it: give the new group an app")]);
            }

            foreach (var appId in desired.Keys)
            {
                authorize("put", appId);
            }

            foreach (var appId in removed)
            {
                authorize("delete", appId);
            }

            var group = NewVersions(create ? StartApplication : "RestartApplication", configChange: true, null);
            var written = new List<string>();
            foreach (var (appId, definition) in desired)
            {
                if (!current.TryGetValue(appId, out var app))
                {
                    await AddAsync(appId, definition, group with { Action = StartApplication }, cancellationToken).ConfigureAwait(false);
                    written.Add(appId);
                }
                else if (await ChangeInGroupAsync(appId, app, definition, group, cancellationToken).ConfigureAwait(false))
                {
                    written.Add(appId);
                }
            }

            var gone = new List<string>();
            foreach (var appId in removed)
            {
                if (await RemoveAsync(current[appId], cancellationToken).ConfigureAwait(false))
                {
                    gone.Add(appId);
                }
            }

            return new GroupWrite(group, written, gone);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>The apps a group update puts, each checked whole before any is written, and those it removes.</summary>
    private static (Dictionary<string, JsonObject> Desired, IReadOnlyList<string> Removed) Changed(
        string groupId, JsonObject update, Dictionary<string, V1Deployment> current)
    {
        var change = GroupUpdate.Of(groupId, update, current.Keys);
        return (change.Apps.ToDictionary(a => a.Key, a => AppDefinition.Normalize(a.Value, a.Key), StringComparer.Ordinal), change.Removed);
    }

    /// <summary>Every app under the group with its instances multiplied by <c>scaleBy</c>; 404 for a group without apps.</summary>
    private static (Dictionary<string, JsonObject> Desired, IReadOnlyList<string> Removed) Scaled(
        string groupId, JsonObject update, Dictionary<string, V1Deployment> current)
    {
        if (update["scaleBy"] is not JsonValue factorValue || factorValue.GetValueKind() != JsonValueKind.Number
            || factorValue.GetValue<double>() is var factor && (factor < 0 || !double.IsFinite(factor)))
        {
            throw MarathonException.Invalid([("/scaleBy", "must be a number of at least 0")]);
        }

        var under = current.Where(a => AppGroups.Contains(groupId, a.Key)).ToList();
        if (under.Count == 0 && groupId != AppGroups.Root)
        {
            throw AppGroups.Unknown(groupId);
        }

        var desired = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (appId, app) in under)
        {
            var definition = AppView.Definition(app);
            definition["instances"] = (int)Math.Min(int.MaxValue, Math.Ceiling(definition["instances"]!.GetValue<int>() * factor));
            desired[appId] = AppDefinition.Normalize(definition, appId);
        }

        return (desired, []);
    }

    /// <summary>
    /// Writes an app's new definition in a group's deployment: a scale when only its instances change, else a new config
    /// version; false, writing nothing, when the definition stays the same.
    /// </summary>
    private async Task<bool> ChangeInGroupAsync(string appId, V1Deployment current, JsonObject definition, AppVersions group, CancellationToken cancellationToken)
    {
        AssignServicePorts(definition);
        var before = AppDefinition.Normalize(AppView.Definition(current), appId);
        if (JsonNode.DeepEquals(before, definition))
        {
            return false;
        }

        var versions = SameApartFromInstances(before, definition)
            ? group with { Action = "ScaleApplication", ConfigVersion = current.Metadata.Annotations[AppDeployments.ConfigVersionAnnotation] }
            : group with { Action = "RestartApplication" };
        await WriteAsync(appId, definition, versions, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The apps as the registry holds them now, as <see cref="Find"/> reads one: a group delete sees the writes just made.</summary>
    private List<V1Deployment> StoredApps()
    {
        var type = InProcessClient.TypeOf<V1Deployment>();
        return [.. _client.Registry.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix(AppDeployments.Namespace))).Items
            .Select(o => KubernetesJson.Deserialize<V1Deployment>(new MemoryStream(o.Json, writable: false)))
            .Where(d => d.Metadata.Annotations?.ContainsKey(AppDeployments.AppIdAnnotation) == true && d.Metadata.Annotations.ContainsKey(AppDeployments.DefinitionAnnotation))];
    }
}

/// <summary>A group's deployment: its versions, the apps it created or changed, and those it removed.</summary>
public sealed record GroupWrite(AppVersions Versions, IReadOnlyList<string> Written, IReadOnlyList<string> Removed);
