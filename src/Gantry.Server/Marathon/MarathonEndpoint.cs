using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Marathon.Events;
using Gantry.Server.Security;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Marathon;

/// <summary>
/// Marathon's v2 REST API for long-running apps: <c>/v2/apps</c> (create, list, read, update or scale, restart,
/// delete, their tasks, their versions and rollback), <c>/v2/groups</c> (read, create, change, scale, delete), <c>/v2/tasks</c>,
/// <c>/v2/deployments</c> (list, roll back or cancel), <c>/v2/queue</c>, <c>/v2/info</c>,
/// <c>/v2/leader</c>, the event stream <c>/v2/events</c> and <c>/ping</c>, with Marathon's status codes and error bodies. App ids are paths, so an app's
/// own paths are told apart by their last segments (<c>/tasks</c>, <c>/tasks/{taskId}</c>, <c>/restart</c>, <c>/versions</c>,
/// <c>/versions/{version}</c>), and a group's apps by <c>/apps</c>, as
/// Marathon tells them apart.
/// </summary>
public sealed class MarathonEndpoint(MarathonApps apps, MarathonEvents events, RequestAuthorizer authorizer)
{
    /// <summary>The Marathon release whose API Gantry answers as.</summary>
    public const string Version = "1.10.17";

    public static bool Matches(string[] segments) => segments is ["ping"] or ["v2", ..];

    public async Task HandleAsync(HttpContext context, string[] segments)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(segments);
        try
        {
            if (segments is not ["ping"] && !apps.Recovered)
            {
                throw MarathonException.WithMessage(503, "Marathon has not finished loading its apps; try again");
            }

            await RouteAsync(context, segments, context.Request.Method).ConfigureAwait(false);
        }
        catch (MarathonException ex)
        {
            await HttpResponses.WriteJsonAsync(context, ex.Status, ex.Body).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            // The Deployment's own rules refused what the app became: said in Marathon's form, not Kubernetes'.
            var refusal = ex.Code == 422 ? MarathonException.Invalid([("/", ex.Message)]) : MarathonException.WithMessage(ex.Code, ex.Message);
            await HttpResponses.WriteJsonAsync(context, refusal.Status, refusal.Body).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // A field of the wrong JSON type deep in a definition.
            await HttpResponses.WriteJsonAsync(context, 422, MarathonException.Invalid([("/", ex.Message)]).Body).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext context, string[] segments, string method)
    {
        var ct = context.RequestAborted;
        switch (segments)
        {
            case ["ping"] when HttpMethods.IsGet(method):
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("pong\n"), ct).ConfigureAwait(false);
                return;
            case ["v2", "info"] when HttpMethods.IsGet(method):
                await OkAsync(context, Info(context)).ConfigureAwait(false);
                return;
            case ["v2", "leader"] when HttpMethods.IsGet(method):
                await OkAsync(context, new JsonObject { ["leader"] = context.Request.Host.Value }).ConfigureAwait(false);
                return;
            case ["v2", "apps"] when HttpMethods.IsGet(method):
                await OkAsync(context, new JsonObject { ["apps"] = ListApps(context.Request.Query) }).ConfigureAwait(false);
                return;
            case ["v2", "apps"] when HttpMethods.IsPost(method):
                var posted = await BodyAsync(context).ConfigureAwait(false);
                await CreateAsync(context, posted, AppIds.Absolute(IdOf(posted) ?? "")).ConfigureAwait(false);
                return;
            case ["v2", "tasks"] when HttpMethods.IsGet(method):
                var all = apps.Apps().SelectMany(a => apps.Tasks(a).Select(p => (JsonNode?)AppView.Task(a, p)));
                await OkAsync(context, new JsonObject { ["tasks"] = new JsonArray([.. all]) }).ConfigureAwait(false);
                return;
            case ["v2", "deployments"] when HttpMethods.IsGet(method):
                await OkAsync(context, new JsonArray([.. AppView.Deployments(apps.Apps().Where(AppView.InProgress)).Select(d => (JsonNode?)d)])).ConfigureAwait(false);
                return;
            case ["v2", "deployments", var deploymentId] when HttpMethods.IsDelete(method):
                var force = context.Request.Query["force"].FirstOrDefault() is "true" or "1";
                var reverted = await apps.CancelDeploymentAsync(deploymentId, force, app => AuthorizeCancel(context, app, force), ct).ConfigureAwait(false);
                if (reverted is null)
                {
                    context.Response.StatusCode = 202;
                }
                else
                {
                    await ChangedAsync(context, reverted).ConfigureAwait(false);
                }

                return;
            case ["v2", "groups", .. var group, "apps"] when HttpMethods.IsGet(method):
                var embeds = GroupEmbeds.Parse(context.Request.Query["embed"]);
                await OkAsync(context, new JsonArray([.. AppInfos(embeds).Where(a => AppGroups.Contains(AppId(group), a["id"]!.GetValue<string>()))]))
                    .ConfigureAwait(false);
                return;
            case ["v2", "groups", .. var group] when HttpMethods.IsGet(method):
                var shown = GroupEmbeds.Parse(context.Request.Query["embed"]);
                await OkAsync(context, AppGroups.Group(AppId(group), AppInfos(shown), shown.Groups, shown.Apps) ?? throw AppGroups.Unknown(AppId(group)))
                    .ConfigureAwait(false);
                return;
            case ["v2", "groups", .. var group] when group.Length > 0 && HttpMethods.IsDelete(method):
                var (removed, appIds) = await apps.DeleteGroupAsync(AppId(group), (verb, appId) => AuthorizeApp(context, verb, appId), ct).ConfigureAwait(false);
                foreach (var removedId in appIds)
                {
                    events.Publish("app_terminated_event", new JsonObject { ["appId"] = removedId });
                }

                await ChangedAsync(context, removed).ConfigureAwait(false);
                return;
            case ["v2", "groups", .. var group] when HttpMethods.IsPost(method) || HttpMethods.IsPut(method):
                await WriteGroupAsync(context, AppId(group), create: HttpMethods.IsPost(method)).ConfigureAwait(false);
                return;
            case ["v2", "events"] when HttpMethods.IsGet(method):
                if (!EventStream.Accepts(context.Request.Headers.Accept.ToString()))
                {
                    throw MarathonException.WithMessage(406, "The event stream is served as text/event-stream only");
                }

                await EventStream.ServeAsync(context, events).ConfigureAwait(false);
                return;
            case ["v2", "queue"] when HttpMethods.IsGet(method):
                await OkAsync(context, new JsonObject { ["queue"] = Queue() }).ConfigureAwait(false);
                return;
            case ["v2", "apps", .. var rest] when rest.Length > 0:
                await AppAsync(context, rest, method).ConfigureAwait(false);
                return;
            case ["v2", ..]:
                throw MarathonException.WithMessage(404, $"The requested resource {context.Request.Path} could not be found for {method}");
        }

        throw MarathonException.WithMessage(405, $"{method} is not allowed on {context.Request.Path}");
    }

    private async Task AppAsync(HttpContext context, string[] path, string method)
    {
        var ct = context.RequestAborted;
        var query = context.Request.Query;
        var scale = query["scale"].FirstOrDefault() is "true" or "1";
        switch (path)
        {
            case [.. var id, "tasks", var taskId] when id.Length > 0 && HttpMethods.IsDelete(method):
                var (killed, scaled) = await apps.KillTaskAsync(AppId(id), taskId, scale, ct).ConfigureAwait(false);
                await (scaled is null ? OkAsync(context, new JsonObject { ["task"] = killed }) : ChangedAsync(context, scaled)).ConfigureAwait(false);
                return;
            case [.. var id, "tasks"] when id.Length > 0 && HttpMethods.IsGet(method):
                var app = apps.App(AppId(id));
                await OkAsync(context, new JsonObject { ["tasks"] = new JsonArray([.. apps.Tasks(app).Select(p => (JsonNode?)AppView.Task(app, p))]) })
                    .ConfigureAwait(false);
                return;
            case [.. var id, "tasks"] when id.Length > 0 && HttpMethods.IsDelete(method):
                var host = query["host"].FirstOrDefault();
                var owner = apps.App(AppId(id));
                var tasks = new JsonArray();
                AppVersions? lastScale = null;
                foreach (var pod in apps.Tasks(owner).Where(p => host is null || p.Spec.NodeName == host))
                {
                    var (task, versions) = await apps.KillTaskAsync(AppId(id), AppView.TaskId(owner, pod), scale, ct).ConfigureAwait(false);
                    tasks.Add(task);
                    lastScale = versions ?? lastScale;
                }

                // With scale=true Marathon answers the deployment that lowered the instances, else the tasks killed.
                await (lastScale is null ? OkAsync(context, new JsonObject { ["tasks"] = tasks }) : ChangedAsync(context, lastScale)).ConfigureAwait(false);
                return;
            case [.. var id, "versions"] when id.Length > 0 && HttpMethods.IsGet(method):
                await OkAsync(context, new JsonObject { ["versions"] = new JsonArray([.. apps.Versions(AppId(id)).Select(v => (JsonNode?)v)]) }).ConfigureAwait(false);
                return;
            case [.. var id, "versions", var version] when id.Length > 0 && HttpMethods.IsGet(method):
                await OkAsync(context, apps.AppAt(AppId(id), version)).ConfigureAwait(false);
                return;
            case [.. var id, "restart"] when id.Length > 0 && HttpMethods.IsPost(method):
                await ChangedAsync(context, await apps.RestartAsync(AppId(id), ct).ConfigureAwait(false)).ConfigureAwait(false);
                return;
        }

        var appId = AppId(path);
        if (HttpMethods.IsGet(method))
        {
            var app = apps.App(appId);
            await OkAsync(context, new JsonObject { ["app"] = AppView.App(app, apps.Tasks(app), embedTasks: true) }).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
        {
            var changes = await BodyAsync(context).ConfigureAwait(false);
            if (IdOf(changes) is { } given && AppIds.Absolute(given) != appId)
            {
                throw MarathonException.Invalid([("/id", $"The id in the body ({AppIds.Absolute(given)}) does not match the path ({appId})")]);
            }

            var partial = query["partialUpdate"].FirstOrDefault() is not ("false" or "0");
            var versions = await apps.UpdateAsync(appId, changes, partial, ct).ConfigureAwait(false);
            if (versions is not null)
            {
                PublishPosted(context, appId);
                await ChangedAsync(context, versions).ConfigureAwait(false);
            }
            else if (HttpMethods.IsPatch(method))
            {
                throw MarathonException.UnknownApp(appId);
            }
            else
            {
                // A PUT of an unknown app creates it, answered as a change: its version and deployment.
                var (_, created) = await apps.CreateAsync(changes, appId, ct).ConfigureAwait(false);
                PublishPosted(context, appId);
                context.Response.Headers.Location = $"/v2/apps{appId}";
                context.Response.Headers["Marathon-Deployment-Id"] = created.DeploymentId;
                await HttpResponses.WriteJsonAsync(context, 201, new JsonObject { ["version"] = created.Version, ["deploymentId"] = created.DeploymentId })
                    .ConfigureAwait(false);
            }
        }
        else if (HttpMethods.IsDelete(method))
        {
            var deleted = await apps.DeleteAsync(appId, ct).ConfigureAwait(false);
            events.Publish("app_terminated_event", new JsonObject { ["appId"] = appId });
            await ChangedAsync(context, deleted).ConfigureAwait(false);
        }
        else
        {
            throw MarathonException.WithMessage(405, $"{method} is not allowed on {context.Request.Path}");
        }
    }

    private async Task CreateAsync(HttpContext context, JsonObject definition, string appId)
    {
        var (app, versions) = await apps.CreateAsync(definition, appId, context.RequestAborted).ConfigureAwait(false);
        PublishPosted(context, appId);
        context.Response.Headers.Location = $"/v2/apps{appId}";
        context.Response.Headers["Marathon-Deployment-Id"] = versions.DeploymentId;
        await HttpResponses.WriteJsonAsync(context, 201, AppView.App(app, [], embedTasks: false)).ConfigureAwait(false);
    }

    /// <summary>
    /// POST /v2/groups[/{id}] creates the group the body's <c>id</c> names (relative to the path), PUT /v2/groups/{id}
    /// changes it (or creates it): its apps written, each also allowed on its own path, in one deployment. Answered with
    /// its version and deployment id, 201 with the group's location for a create.
    /// </summary>
    private async Task WriteGroupAsync(HttpContext context, string path, bool create)
    {
        if (context.Request.Query["dryRun"].FirstOrDefault() is "true" or "1")
        {
            throw MarathonException.WithMessage(400, "Gantry does not plan a group's deployment without making it: dryRun is not supported");
        }

        var update = await BodyAsync(context).ConfigureAwait(false);
        var groupId = IdOf(update) is { } id ? GroupUpdate.Resolve(id, path) : path;
        if (groupId != AppGroups.Root && AppIds.Invalid(groupId) is { } invalid)
        {
            throw MarathonException.Invalid([("/id", invalid)]);
        }

        var write = await apps.UpdateGroupAsync(groupId, update, create, (verb, appId) => AuthorizeApp(context, verb, appId), context.RequestAborted)
            .ConfigureAwait(false);
        foreach (var appId in write.Written)
        {
            PublishPosted(context, appId);
        }

        foreach (var appId in write.Removed)
        {
            events.Publish("app_terminated_event", new JsonObject { ["appId"] = appId });
        }

        if (!create)
        {
            await ChangedAsync(context, write.Versions).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.Location = $"/v2/groups{groupId}";
        context.Response.Headers["Marathon-Deployment-Id"] = write.Versions.DeploymentId;
        await HttpResponses.WriteJsonAsync(context, 201, new JsonObject { ["version"] = write.Versions.Version, ["deploymentId"] = write.Versions.DeploymentId })
            .ConfigureAwait(false);
    }

    /// <summary><c>api_post_event</c>: the app's definition as the write left it (read back from the registry, not the informer).</summary>
    private void PublishPosted(HttpContext context, string appId)
    {
        if (apps.Find(appId) is { } app)
        {
            events.Publish("api_post_event", new JsonObject
            {
                ["clientIp"] = context.Connection.RemoteIpAddress?.ToString() ?? "",
                ["uri"] = context.Request.Path.Value,
                ["appDefinition"] = AppView.Definition(app),
            });
        }
    }

    private JsonArray ListApps(IQueryCollection query)
    {
        var idFilter = query["id"].FirstOrDefault();
        var embedTasks = query["embed"].Any(e => e is "apps.tasks" or "app.tasks");
        return new JsonArray([.. apps.Apps()
            .Where(a => idFilter is null || a.Metadata.Annotations[AppDeployments.AppIdAnnotation].Contains(idFilter, StringComparison.Ordinal))
            .Select(a => (JsonNode?)AppView.App(a, apps.Tasks(a), embedTasks))]);
    }

    /// <summary>Every app as a group shows it.</summary>
    private JsonObject[] AppInfos(GroupEmbeds embeds) =>
        [.. apps.Apps().Select(a => embeds.Apply(AppView.App(a, apps.Tasks(a), embeds.Tasks)))];

    /// <summary>Apps with tasks waiting for a node, as Marathon's launch queue lists them.</summary>
    private JsonArray Queue()
    {
        var queue = new JsonArray();
        foreach (var app in apps.Apps())
        {
            var waiting = apps.Tasks(app).Count(p => string.IsNullOrEmpty(p.Spec.NodeName) && p.Metadata.DeletionTimestamp is null);
            if (waiting > 0)
            {
                queue.Add(new JsonObject
                {
                    ["app"] = AppView.App(app, apps.Tasks(app), embedTasks: false),
                    ["count"] = waiting,
                    ["delay"] = new JsonObject { ["timeLeftSeconds"] = 0, ["overdue"] = false },
                });
            }
        }

        return queue;
    }

    private static JsonObject Info(HttpContext context) => new()
    {
        ["name"] = "marathon",
        ["version"] = Version,
        ["buildref"] = "gantry",
        ["elected"] = true,
        ["leader"] = context.Request.Host.Value,
        ["frameworkId"] = null,
        ["marathon_config"] = new JsonObject
        {
            ["master"] = "gantry",
            ["mesos_role"] = "*",
            ["mesos_user"] = "root",
            ["hostname"] = context.Request.Host.Host,
            ["task_launch_timeout"] = 300000,
        },
        ["http_config"] = new JsonObject { ["https_port"] = context.Request.Host.Port },
        ["zookeeper_config"] = null,
    };

    /// <summary>
    /// A deployment's cancel changes its app, so the request must also be allowed the change on the app's own path, as
    /// Marathon checks UpdateRunSpec on the apps a cancel affects: <c>put</c> for a revert, <c>delete</c> for one that
    /// removes the app. Refused in Marathon's words for a forbidden request.
    /// </summary>
    private void AuthorizeCancel(HttpContext context, V1Deployment app, bool force) =>
        AuthorizeApp(context, !force && MarathonApps.Started(app) ? "delete" : "put", app.Metadata.Annotations[AppDeployments.AppIdAnnotation]);

    /// <summary>A change a request makes to an app other than through the app's own path, judged as if made there.</summary>
    private void AuthorizeApp(HttpContext context, string verb, string appId)
    {
        if (!authorizer.AllowsNonResource(context, verb, "/v2/apps" + appId))
        {
            throw MarathonException.WithMessage(403, "Authorization Denied");
        }
    }

    private static async Task ChangedAsync(HttpContext context, AppVersions versions)
    {
        context.Response.Headers["Marathon-Deployment-Id"] = versions.DeploymentId;
        await OkAsync(context, new JsonObject { ["version"] = versions.Version, ["deploymentId"] = versions.DeploymentId }).ConfigureAwait(false);
    }

    private static Task OkAsync(HttpContext context, JsonNode body) => HttpResponses.WriteJsonAsync(context, 200, body);

    private static string AppId(string[] segments) => "/" + string.Join('/', segments);

    private static string? IdOf(JsonObject definition) =>
        definition["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : null;

    private static async Task<JsonObject> BodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new MarathonException(400, new JsonObject
            {
                ["message"] = "Invalid JSON",
                ["details"] = new JsonArray(new JsonObject { ["path"] = "/", ["errors"] = new JsonArray(ex.Message) }),
            });
        }
    }
}
