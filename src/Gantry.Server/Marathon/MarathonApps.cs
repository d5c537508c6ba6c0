using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Marathon;

/// <summary>
/// Marathon's app operations on the apps' Deployments: create, update (a scale when only <c>instances</c> changed),
/// rollback to a kept version, restart, delete (of an app or a group's apps), killing tasks, and rolling back or
/// cancelling a deployment under way. Every change Marathon records as a version is kept in the app's history. Reads
/// come from the informers, writes go through the registry like any client's, so a conflicting write is refused, not lost.
/// </summary>
public sealed partial class MarathonApps : IDisposable
{
    private const string StartApplication = "StartApplication";

    private readonly InProcessClient _client;
    private readonly Informer<V1Deployment> _deployments;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1Namespace> _namespaces;
    private readonly TimeProvider _time;
    private readonly SharedInformers _informers;
    private readonly AppHistory _history;
    private readonly ILogger<MarathonApps> _logger;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private volatile bool _recovered;

    // The ports of the apps this server wrote, by Deployment name, until the informer has them: two apps created one after
    // the other must not both get the first free port. Guarded by _writes.
    private readonly Dictionary<string, IReadOnlyList<int>> _written = new(StringComparer.Ordinal);
    private DateTimeOffset _lastVersion;

    public MarathonApps(InProcessClient client, SharedInformers informers, TimeProvider time, ILogger<MarathonApps> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _client = client;
        _informers = informers;
        _deployments = informers.For<V1Deployment>();
        _pods = informers.For<V1Pod>();
        _namespaces = informers.For<V1Namespace>();
        _time = time;
        _history = new AppHistory(client);
        _logger = logger;
    }

    /// <summary>Whether the apps and tasks are known again after a start: until then a list would be empty and ports reused.</summary>
    public bool Recovered => _recovered || (_recovered = _informers.WaitForSyncAsync(CancellationToken.None).IsCompletedSuccessfully);

    public void Dispose() => _writes.Dispose();

    public IReadOnlyList<V1Deployment> Apps() =>
        [.. _deployments.ListInNamespace(AppDeployments.Namespace)
            .Where(d => d.Metadata.Annotations?.ContainsKey(AppDeployments.DefinitionAnnotation) == true)
            .OrderBy(d => d.Metadata.Annotations[AppDeployments.AppIdAnnotation], StringComparer.Ordinal)];

    public V1Deployment App(string appId) =>
        Find(appId) ?? throw MarathonException.UnknownApp(appId);

    /// <summary>The app's Deployment as the registry holds it now, so that a client reads its own writes at once.</summary>
    public V1Deployment? Find(string appId)
    {
        if (AppIds.Invalid(appId) is not null
            || _client.Registry.Get(InProcessClient.TypeOf<V1Deployment>(), AppDeployments.Namespace, AppIds.Name(appId)) is not { } cached)
        {
            return null;
        }

        var d = KubernetesJson.Deserialize<V1Deployment>(new MemoryStream(cached.Json, writable: false));
        return d.Metadata.Annotations?.TryGetValue(AppDeployments.AppIdAnnotation, out var id) == true && id == appId ? d : null;
    }

    public IReadOnlyList<V1Pod> Tasks(V1Deployment app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. _pods.ListInNamespace(AppDeployments.Namespace)
            .Where(p => p.Metadata.Labels?.TryGetValue(AppDeployments.AppLabel, out var name) == true && name == app.Metadata.Name)
            .OrderBy(p => p.Metadata.CreationTimestamp)];
    }

    /// <summary>GET /v2/apps/{id}/versions: the app's kept versions, newest first.</summary>
    public IReadOnlyList<string> Versions(string appId) => [.. _history.Versions(App(appId)).Select(v => v.Version)];

    /// <summary>GET /v2/apps/{id}/versions/{version}: the app as it was at that version; 404 in Marathon's words when it is not kept.</summary>
    public JsonObject AppAt(string appId, string version)
    {
        var at = MarathonTimestamps.Parse(version);
        return _history.Versions(App(appId)).FirstOrDefault(v => v.Version == at)?.App.DeepClone().AsObject()
            ?? throw MarathonException.WithMessage(404, $"App '{appId}' does not exist in version {at}");
    }

    /// <summary>POST /v2/apps: 409 when the id is taken.</summary>
    public async Task<(V1Deployment App, AppVersions Versions)> CreateAsync(JsonObject input, string appId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var definition = AppDefinition.Normalize(input, appId);
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var versions = NewVersions(StartApplication, configChange: true, null);
            return (await AddAsync(appId, definition, versions, cancellationToken).ConfigureAwait(false), versions);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Creates the app's Deployment, under the write lock; 409 when the id, or the Deployment's name, is taken.</summary>
    private async Task<V1Deployment> AddAsync(string appId, JsonObject definition, AppVersions versions, CancellationToken cancellationToken)
    {
        if (_client.Registry.Get(InProcessClient.TypeOf<V1Deployment>(), AppDeployments.Namespace, AppIds.Name(appId)) is not null)
        {
            throw MarathonException.WithMessage(409, Find(appId) is null
                ? $"An app with id [{appId}] cannot be created: another app's id names the same Deployment, {AppIds.Name(appId)}"
                : $"An app with id [{appId}] already exists.");
        }

        AssignServicePorts(definition);
        await _client.EnsureNamespaceAsync(_namespaces, AppDeployments.Namespace, cancellationToken).ConfigureAwait(false);
        try
        {
            var created = await _client.CreateAsync(AppDeployments.Build(definition, versions), cancellationToken).ConfigureAwait(false);
            await RecordAsync(created, definition, versions).ConfigureAwait(false);
            return created;
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            throw MarathonException.WithMessage(409, $"An app with id [{appId}] already exists.");
        }
    }

    /// <summary>
    /// PUT /v2/apps/{id}: the fields given replace the app's (with <paramref name="partial"/> the others keep their
    /// values, else they return to their defaults, as Marathon's partialUpdate=false); a change of
    /// <c>instances</c> alone is a scale, which leaves the tasks running. A body of only a <c>version</c> (and the id)
    /// is a rollback: the app becomes that kept version's definition again, in a new deployment. Null when the app does
    /// not exist.
    /// </summary>
    public async Task<AppVersions?> UpdateAsync(string appId, JsonObject changes, bool partial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Find(appId) is not { } current)
            {
                return null;
            }

            if (changes.ContainsKey("version"))
            {
                return await ChangeAsync(appId, current, Rollback(appId, current, changes), cancellationToken).ConfigureAwait(false);
            }

            var merged = partial ? AppView.Definition(current) : [];
            foreach (var (key, value) in changes)
            {
                merged[key] = value?.DeepClone();
            }

            return await ChangeAsync(appId, current, merged, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>POST /v2/apps/{id}/restart: a new config version, so every task is replaced as the upgrade strategy allows.</summary>
    public async Task<AppVersions> RestartAsync(string appId, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = App(appId);
            var versions = NewVersions("RestartApplication", configChange: true, current);
            await WriteAsync(appId, AppView.Definition(current), versions, cancellationToken).ConfigureAwait(false);
            return versions;
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<AppVersions> DeleteAsync(string appId, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var app = App(appId);
            var versions = NewVersions("StopApplication", configChange: true, app);
            if (!await RemoveAsync(app, cancellationToken).ConfigureAwait(false))
            {
                throw MarathonException.UnknownApp(appId);
            }

            return versions;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Kills a task: its pod is deleted and replaced; with <paramref name="scale"/> the app also loses an instance, the
    /// pod marked to be the one its replica set removes (the lowest pod-deletion-cost).
    /// </summary>
    public async Task<(JsonObject Task, AppVersions? Scaled)> KillTaskAsync(string appId, string taskId, bool scale, CancellationToken cancellationToken)
    {
        var app = App(appId);
        var pod = Tasks(app).FirstOrDefault(p => AppView.TaskId(app, p) == taskId)
            ?? throw MarathonException.WithMessage(404, $"Task '{taskId}' does not exist");
        var task = AppView.Task(app, pod);
        if (scale)
        {
            await _client.MutateAsync<V1Pod>(AppDeployments.Namespace, pod.Metadata.Name, p =>
            {
                p.Metadata.Annotations ??= new Dictionary<string, string>();
                p.Metadata.Annotations[PodDeletionCost.Annotation] = int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }, cancellationToken).ConfigureAwait(false);
            await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Read again under the lock: a kill or an update in between must not be undone by this one.
                var fresh = App(appId);
                var definition = AppView.Definition(fresh);
                definition["instances"] = Math.Max(0, definition["instances"]!.GetValue<int>() - 1);
                var versions = NewVersions("ScaleApplication", configChange: false, fresh);
                await WriteAsync(appId, definition, versions, cancellationToken).ConfigureAwait(false);
                return (task, versions);
            }
            finally
            {
                _writes.Release();
            }
        }

        try
        {
            await _client.DeleteAsync<V1Pod>(AppDeployments.Namespace, pod.Metadata.Name, DeleteRequest.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }

        return (task, null);
    }

    private async Task WriteAsync(string appId, JsonObject definition, AppVersions versions, CancellationToken cancellationToken)
    {
        var desired = AppDeployments.Build(definition, versions);
        try
        {
            var written = await _client.MutateAsync<V1Deployment>(AppDeployments.Namespace, AppIds.Name(appId), d =>
            {
                d.Metadata.Annotations ??= new Dictionary<string, string>();
                foreach (var (key, value) in desired.Metadata.Annotations)
                {
                    d.Metadata.Annotations[key] = value;
                }

                d.Spec.Replicas = desired.Spec.Replicas;
                d.Spec.Strategy = desired.Spec.Strategy;
                d.Spec.Template = desired.Spec.Template;
                // A change after a cancelled deployment rolls out again; a rollout paused by anyone else stays paused.
                if (d.Metadata.Annotations.Remove(AppDeployments.CancelledDeploymentAnnotation))
                {
                    d.Spec.Paused = null;
                }
            }, cancellationToken).ConfigureAwait(false);
            await RecordAsync(written, definition, versions).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            throw MarathonException.UnknownApp(appId);
        }
    }

    /// <summary>Writes what the app becomes: a scale when only the instances differ from <paramref name="current"/>, else a new config version.</summary>
    private async Task<AppVersions> ChangeAsync(string appId, V1Deployment current, JsonObject input, CancellationToken cancellationToken)
    {
        var definition = AppDefinition.Normalize(input, appId);
        AssignServicePorts(definition);
        var scaleOnly = SameApartFromInstances(AppDefinition.Normalize(AppView.Definition(current), appId), definition);
        var versions = NewVersions(scaleOnly ? "ScaleApplication" : "RestartApplication", !scaleOnly, current);
        await WriteAsync(appId, definition, versions, cancellationToken).ConfigureAwait(false);
        return versions;
    }

    /// <summary>
    /// The kept definition a rollback asks for (Marathon's AppHelpers.rollback): 422 when the body gives more than the
    /// version and id (AppValidation.validateAppUpdateVersion), 404 "App does not exist" when the version is not kept.
    /// </summary>
    private JsonObject Rollback(string appId, V1Deployment current, JsonObject changes)
    {
        if (changes.Any(c => c.Key is not ("version" or "id")))
        {
            throw MarathonException.Invalid([("/", "The 'version' field may only be combined with the 'id' field.")]);
        }

        var version = MarathonTimestamps.Parse(changes["version"]?.GetValue<string>() ?? "");
        return _history.Versions(current).FirstOrDefault(v => v.Version == version) is { } kept
            ? AppRevisions.Definition(kept)
            : throw MarathonException.UnknownApp(appId);
    }

    /// <summary>
    /// Keeps the version the change made, once the change is written. Neither the client's disconnect nor a refused revision
    /// undoes an applied change, so neither is its error: the version missing, the history shows it from the Deployment.
    /// </summary>
    private async Task RecordAsync(V1Deployment written, JsonObject definition, AppVersions versions)
    {
        try
        {
            await _history.RecordAsync(written, definition, versions, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.VersionNotKept(_logger, ex, versions.Version, written.Metadata.Annotations[AppDeployments.AppIdAnnotation]);
        }
    }

    /// <summary>Deletes the app's Deployment; false when it is gone already.</summary>
    private async Task<bool> RemoveAsync(V1Deployment app, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<V1Deployment>(AppDeployments.Namespace, app.Metadata.Name, new DeleteRequest(PropagationPolicy: "Background"), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return false;
        }
        finally
        {
            _written.Remove(app.Metadata.Name);
        }
    }

    private AppVersions NewVersions(string action, bool configChange, V1Deployment? current)
    {
        // Each version later than the last, even within one millisecond: a restart must change the pod template.
        var now = _time.GetUtcNow();
        _lastVersion = now > _lastVersion.AddMilliseconds(1) ? now : _lastVersion.AddMilliseconds(1);
        var version = AppView.Timestamp(_lastVersion);
        var configVersion = configChange || current is null ? version : current.Metadata.Annotations[AppDeployments.ConfigVersionAnnotation];
        return new AppVersions(version, configVersion, Guid.NewGuid().ToString(), action);
    }

    private static bool SameApartFromInstances(JsonObject before, JsonObject after)
    {
        var a = before.DeepClone().AsObject();
        var b = after.DeepClone().AsObject();
        a.Remove("instances");
        b.Remove("instances");
        return JsonNode.DeepEquals(a, b);
    }

    private void AssignServicePorts(JsonObject definition)
    {
        var name = AppIds.Name(definition["id"]!.GetValue<string>());
        var others = Apps().Where(a => a.Metadata.Name != name).Select(a => (a.Metadata.Name, Ports: AppDeployments.Ports(AppView.Definition(a))))
            .Concat(_written.Where(w => w.Key != name).Select(w => (Name: w.Key, Ports: w.Value)));
        ServicePorts.Assign(definition, others.SelectMany(o => o.Ports));
        _written[name] = AppDeployments.Ports(definition);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Version {Version} of app {AppId} was applied but not kept; its versions show it from the app's Deployment")]
        public static partial void VersionNotKept(ILogger logger, Exception exception, string version, string appId);
    }
}
