using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>A group's apps written or removed together (<c>POST</c>, <c>PUT</c> and <c>DELETE /v2/groups/{id}</c>).</summary>
public sealed partial class MarathonApps
{
    /// <summary>
    /// DELETE /v2/groups/{id}: every app under the group removed in one deployment, each removal first allowed by
    /// <paramref name="authorize"/> as on the app's own path; the ids of the apps removed (not those another client
    /// deleted meanwhile). 404 in Marathon's words when no app is under it.
    /// </summary>
    public async Task<(AppVersions Versions, IReadOnlyList<string> Removed)> DeleteGroupAsync(
        string groupId, Action<string, string> authorize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorize);
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var members = StoredApps().Where(a => AppGroups.Contains(groupId, a.Metadata.Annotations[AppDeployments.AppIdAnnotation])).ToList();
            if (members.Count == 0)
            {
                throw AppGroups.Unknown(groupId);
            }

            foreach (var app in members)
            {
                authorize("delete", app.Metadata.Annotations[AppDeployments.AppIdAnnotation]);
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

        var scaleBy = update["scaleBy"];
        if (scaleBy is not null && update.Any(f => f.Key is "apps" or "groups" or "dependencies" && f.Value is not null))
        {
            throw MarathonException.Invalid([("/", "not allowed in conjunction with other properties.")]);
        }

        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = StoredApps().ToDictionary(a => a.Metadata.Annotations[AppDeployments.AppIdAnnotation], StringComparer.Ordinal);
            var (desired, removed) = scaleBy is not null ? Scaled(groupId, scaleBy, current) : Changed(groupId, update, current);
            Conflicts(groupId, create, desired, removed, current);
            foreach (var appId in desired.Keys)
            {
                authorize("put", appId);
            }

            foreach (var appId in removed)
            {
                authorize("delete", appId);
            }

            // Once the first app is written the rest follow, whether or not the client waits for them.
            var group = NewVersions(create ? StartApplication : "RestartApplication", configChange: true, null);
            var written = new List<string>();
            foreach (var (appId, definition) in desired)
            {
                if (!current.TryGetValue(appId, out var app))
                {
                    await AddAsync(appId, definition, group with { Action = StartApplication }, CancellationToken.None).ConfigureAwait(false);
                    written.Add(appId);
                }
                else if (await ChangeInGroupAsync(appId, app, definition, group, CancellationToken.None).ConfigureAwait(false))
                {
                    written.Add(appId);
                }
            }

            var gone = new List<string>();
            foreach (var appId in removed)
            {
                if (await RemoveAsync(current[appId], CancellationToken.None).ConfigureAwait(false))
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

    /// <summary>
    /// What Marathon refuses of a valid update, checked before anything is written: a create of a group that exists (409),
    /// a new group without apps, a group or app where the other is, and a new app whose Deployment's name is taken.
    /// </summary>
    private void Conflicts(
        string groupId, bool create, Dictionary<string, JsonObject> desired, IReadOnlyList<string> removed, Dictionary<string, V1Deployment> current)
    {
        if (current.ContainsKey(groupId))
        {
            throw create
                ? MarathonException.WithMessage(409, $"An app with the path {groupId} already exists.")
                : MarathonException.Invalid([("/id", "Groups and Applications may not have the same identifier.")]);
        }

        if (create && (groupId == AppGroups.Root || current.Keys.Any(id => AppGroups.Contains(groupId, id))))
        {
            throw MarathonException.WithMessage(409, $"Group {groupId} is already created. Use PUT to change this group.");
        }

        if (create && desired.Count == 0)
        {
            // Groups are where apps are: an empty group would be acknowledged and then not be there.
            throw MarathonException.Invalid([("/apps", "Gantry keeps a group only while an app is under it: give the new group an app")]);
        }

        var after = current.Keys.Except(removed).Union(desired.Keys).ToList();
        if (desired.Keys.FirstOrDefault(appId => after.Any(other => other != appId && AppGroups.Contains(appId, other))) is { } both)
        {
            throw MarathonException.Invalid([("/", $"Groups and Applications may not have the same identifier: {both}")]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var appId in desired.Keys.Where(id => !current.ContainsKey(id)))
        {
            var name = AppIds.Name(appId);
            if (!names.Add(name) || _client.Registry.Get(InProcessClient.TypeOf<V1Deployment>(), AppDeployments.Namespace, name) is not null)
            {
                throw MarathonException.WithMessage(409, $"An app with id [{appId}] cannot be created: another app's id names the same Deployment, {name}");
            }
        }
    }

    /// <summary>The apps a group update puts, each checked whole before any is written, and those it removes.</summary>
    private static (Dictionary<string, JsonObject> Desired, IReadOnlyList<string> Removed) Changed(
        string groupId, JsonObject update, Dictionary<string, V1Deployment> current)
    {
        var change = GroupUpdate.Of(groupId, update, current.Keys);
        return (change.Apps.ToDictionary(a => a.Key, a => AppDefinition.Normalize(a.Value, a.Key), StringComparer.Ordinal), change.Removed);
    }

    /// <summary>Every app under the group with its instances multiplied by <c>scaleBy</c> (none for a group without apps).</summary>
    private static (Dictionary<string, JsonObject> Desired, IReadOnlyList<string> Removed) Scaled(
        string groupId, JsonNode scaleBy, Dictionary<string, V1Deployment> current)
    {
        if (scaleBy is not JsonValue factorValue || factorValue.GetValueKind() != JsonValueKind.Number
            || factorValue.GetValue<double>() is var factor && (factor < 0 || !double.IsFinite(factor)))
        {
            throw MarathonException.Invalid([("/scaleBy", "must be a number of at least 0")]);
        }

        var desired = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (appId, app) in current.Where(a => AppGroups.Contains(groupId, a.Key)))
        {
            var definition = AppView.Definition(app);
            definition["instances"] = (int)Math.Min(int.MaxValue, Math.Ceiling(definition["instances"]!.GetValue<int>() * factor));
            desired[appId] = AppDefinition.Normalize(definition, appId);
        }

        return (desired, []);
    }

    /// <summary>
    /// Writes an app's new definition in a deployment of several apps (a group's change, a revert): a scale when only its
    /// instances change, else a new config version; false, writing nothing, when the definition stays the same.
    /// </summary>
    private async Task<bool> ChangeInGroupAsync(string appId, V1Deployment current, JsonObject definition, AppVersions group, CancellationToken cancellationToken)
    {
        var before = AppDefinition.Normalize(AppView.Definition(current), appId);
        KeepServicePorts(before, definition);
        AssignServicePorts(definition);
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

    /// <summary>A port-0 entry keeps the service port the app holds at that place, as Marathon reuses an app's ports.</summary>
    private static void KeepServicePorts(JsonObject before, JsonObject after)
    {
        var held = before["portDefinitions"]!.AsArray();
        var wanted = after["portDefinitions"]!.AsArray();
        for (var i = 0; i < Math.Min(held.Count, wanted.Count); i++)
        {
            if (wanted[i]!["port"]!.GetValue<int>() == 0)
            {
                wanted[i]!["port"] = held[i]!["port"]!.GetValue<int>();
            }
        }
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
