using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>
/// An app's version as a ControllerRevision (apps/v1) in the <c>marathon</c> namespace: its data the app as
/// <c>/v2/apps/{id}/versions/{version}</c> answers it (the definition with its version and versionInfo), labelled with
/// the app's Deployment name so an app's versions are listed together, and owned by that Deployment so that the garbage
/// collector deletes them with the app, as Marathon drops an app's versions when the app is deleted.
/// </summary>
public static class AppRevisions
{
    /// <summary>Marathon's <c>zk_max_versions</c> default (StorageConf.maxVersions): the versions kept of one app.</summary>
    public const int MaxVersions = 50;

    public static V1ControllerRevision Build(V1Deployment owner, JsonObject definition, AppVersions versions, long revision)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(versions);
        var app = definition.DeepClone().AsObject();
        app["version"] = versions.Version;
        app["versionInfo"] = new JsonObject { ["lastScalingAt"] = versions.Version, ["lastConfigChangeAt"] = versions.ConfigVersion };
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = Name(owner.Metadata.Name, versions.Version),
                NamespaceProperty = AppDeployments.Namespace,
                Labels = new Dictionary<string, string> { [AppDeployments.AppLabel] = owner.Metadata.Name },
                Annotations = new Dictionary<string, string>
                {
                    [AppDeployments.AppIdAnnotation] = definition["id"]!.GetValue<string>(),
                    [AppDeployments.VersionAnnotation] = versions.Version,
                },
                OwnerReferences =
                [
                    // The app's Deployment is the controller, so that no other controller with a matching selector adopts them.
                    new V1OwnerReference
                    {
                        ApiVersion = "apps/v1",
                        Kind = "Deployment",
                        Name = owner.Metadata.Name,
                        Uid = owner.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Data = app,
            Revision = revision,
        };
    }

    /// <summary>The revision's name: the Deployment's and the version's digits, unique per app and version.</summary>
    public static string Name(string deploymentName, string version) =>
        $"{deploymentName}.{new string([.. version.Where(char.IsAsciiDigit)])}";

    /// <summary>
    /// The versions of the app whose Deployment has <paramref name="ownerUid"/>, newest first, from stored revisions
    /// (JSON as the registry holds them). A revision owned by an earlier app of the same id, not yet collected, is not one;
    /// nor is one whose data has no version (written by someone else), which no app was.
    /// </summary>
    public static IReadOnlyList<StoredVersion> Versions(IEnumerable<JsonObject> revisions, string ownerUid)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        return [.. revisions
            .Where(r => r["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(o => o?["uid"]?.GetValue<string>() == ownerUid))
            .Where(r => r["data"] is JsonObject data && data["version"] is JsonValue version && version.GetValueKind() == JsonValueKind.String)
            .Select(r => new StoredVersion(
                r["metadata"]!["name"]!.GetValue<string>(),
                r["data"]!["version"]!.GetValue<string>(),
                r["revision"] is JsonValue revision && revision.TryGetValue<long>(out var number) ? number : 0,
                r["data"]!.AsObject()))
            .OrderByDescending(v => v.Version, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The app's current version as its Deployment's annotations hold it (definition, version, config version): what a
    /// revision of it would hold, for an app whose current version was never kept (created before versions were, or its
    /// revision refused).
    /// </summary>
    public static StoredVersion Current(V1Deployment app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var annotations = app.Metadata.Annotations;
        var version = annotations[AppDeployments.VersionAnnotation];
        var shown = AppView.Definition(app);
        shown["version"] = version;
        shown["versionInfo"] = new JsonObject
        {
            ["lastScalingAt"] = version,
            ["lastConfigChangeAt"] = annotations.TryGetValue(AppDeployments.ConfigVersionAnnotation, out var config) ? config : version,
        };
        return new StoredVersion(Name(app.Metadata.Name, version), version, 0, shown);
    }

    /// <summary>The versions beyond the newest <see cref="MaxVersions"/>, to delete.</summary>
    public static IEnumerable<StoredVersion> Surplus(IReadOnlyList<StoredVersion> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        return newestFirst.Skip(MaxVersions);
    }

    /// <summary>The next revision number: one more than the highest kept.</summary>
    public static long Next(IReadOnlyList<StoredVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.Count == 0 ? 1 : versions.Max(v => v.Revision) + 1;
    }

    /// <summary>The definition a stored version holds: the app without what Marathon adds to it when it shows it.</summary>
    public static JsonObject Definition(StoredVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var definition = version.App.DeepClone().AsObject();
        definition.Remove("version");
        definition.Remove("versionInfo");
        return definition;
    }
}

/// <summary>One kept version of an app: its revision's name, its version timestamp, its revision number and the app.</summary>
public sealed record StoredVersion(string Name, string Version, long Revision, JsonObject App);
