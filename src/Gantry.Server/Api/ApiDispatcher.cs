using Gantry.Server.Api.ComponentStatuses;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Api.Reviews;
using Gantry.Server.Marathon;
using Gantry.Server.Mesos;
using Gantry.Server.Monitoring;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// Routes a request by its path: health, the server's metrics, version, discovery and OpenAPI documents, then the
/// resource paths under <c>/api/v1</c> and <c>/apis/{group}/{version}</c>, Mesos' scheduler API, Marathon's app API, and the resource metrics API and the
/// access and token reviews, which are served but not stored. Discovery is open to every
/// authenticated user, as the apiserver's <c>system:discovery</c> role makes it; Gantry's own endpoints and every
/// resource request are authorized first (<see cref="RequestAuthorizer"/>).
/// </summary>
public sealed class ApiDispatcher(
    ResourceHandler resources,
    ExplainEndpoint explain,
    ResourceMetricsEndpoint metrics,
    MetricsEndpoint serverMetrics,
    SelfSubjectReviews reviews,
    SubjectAccessReviews accessReviews,
    TokenReviews tokenReviews,
    RequestAuthorizer authorizer,
    HealthEndpoint health,
    SchedulerEndpoint mesosScheduler,
    MasterStateEndpoint mesosState,
    OperatorEndpoint mesosOperator,
    MarathonEndpoint marathon,
    ComponentStatusEndpoint componentStatuses,
    CustomResourceTypes customTypes)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (HealthEndpoint.Matches(segments))
        {
            await health.HandleAsync(context, segments[0]).ConfigureAwait(false);
            return;
        }

        if (MetricsEndpoint.Matches(segments))
        {
            await serverMetrics.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (await DiscoveryEndpoints.TryHandleAsync(context, segments, customTypes).ConfigureAwait(false))
        {
            return;
        }

        if (ExplainEndpoint.Matches(segments))
        {
            authorizer.AuthorizeNonResource(context);
            await explain.HandleAsync(context, segments).ConfigureAwait(false);
            return;
        }

        if (ComponentStatusEndpoint.Matches(segments))
        {
            await componentStatuses.HandleAsync(context, segments).ConfigureAwait(false);
            return;
        }

        // Before the resource paths: core/v1 has no resource named "scheduler".
        if (SchedulerEndpoint.Matches(segments))
        {
            authorizer.AuthorizeNonResource(context);
            await mesosScheduler.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (OperatorEndpoint.Matches(segments, context.Request.Method))
        {
            authorizer.AuthorizeNonResource(context);
            await mesosOperator.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (MasterStateEndpoint.Matches(segments))
        {
            authorizer.AuthorizeNonResource(context);
            await mesosState.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (MarathonEndpoint.Matches(segments))
        {
            authorizer.AuthorizeNonResource(context);
            await marathon.HandleAsync(context, segments).ConfigureAwait(false);
            return;
        }

        if (ResourceMetricsEndpoint.Matches(segments))
        {
            await metrics.HandleAsync(context, segments).ConfigureAwait(false);
            return;
        }

        // Every authenticated user may review itself (kube's system:basic-user); the review decides the rest.
        if (SelfSubjectReviews.Matches(segments))
        {
            await reviews.HandleAsync(context, segments).ConfigureAwait(false);
            return;
        }

        // Reviews about other users and their tokens are authorized as a create of the review (system:auth-delegator's).
        if (SubjectAccessReviews.Matches(segments))
        {
            await accessReviews.HandleAsync(context, segments).ConfigureAwait(false);
            return;
        }

        if (TokenReviews.Matches(segments))
        {
            await tokenReviews.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        var resourcePath = segments switch
        {
            ["api", var version, .. var rest] => ResourcePath.Parse("", version, rest),
            ["apis", var group, var version, .. var rest] => ResourcePath.Parse(group, version, rest, customTypes),
            _ => null,
        };
        if (resourcePath is null)
        {
            throw ApiException.NotFound("the server could not find the requested resource");
        }

        RequestMetrics.Describe(context, resourcePath);
        authorizer.Authorize(context, resourcePath);
        await resources.HandleAsync(context, resourcePath).ConfigureAwait(false);
    }
}
