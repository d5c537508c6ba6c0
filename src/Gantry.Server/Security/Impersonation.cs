using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Api;
using Gantry.Server.Security.ServiceAccounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gantry.Server.Security;

/// <summary>
/// kube-apiserver's impersonation filter (<c>kubectl --as</c>, <c>--as-group</c>, <c>--as-uid</c>): a request carrying
/// <c>Impersonate-User</c> (and perhaps <c>Impersonate-Group</c>, <c>Impersonate-Uid</c>, <c>Impersonate-Extra-*</c>)
/// runs as that user, once the authenticated user has been allowed to <c>impersonate</c> each of them (users, groups,
/// serviceaccounts, uids, userextras). The impersonated user is in <c>system:authenticated</c> unless its groups say
/// otherwise; a ServiceAccount user given no groups is in its namespace's ServiceAccount groups. Extra values are
/// authorized but not kept: nothing in Gantry reads them.
/// </summary>
public sealed class Impersonation(RequestAuthorizer authorizer)
{
    public const string UserHeader = "Impersonate-User";

    public const string GroupHeader = "Impersonate-Group";

    public const string UidHeader = "Impersonate-Uid";

    public const string ExtraHeaderPrefix = "Impersonate-Extra-";

    private static readonly ResourceType Users = Subject("", "User", "users");
    private static readonly ResourceType Groups = Subject("", "Group", "groups");
    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");
    private static readonly ResourceType Uids = Subject("authentication.k8s.io", "UID", "uids");
    private static readonly ResourceType UserExtras = Subject("authentication.k8s.io", "UserExtra", "userextras");

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var headers = context.Request.Headers;
        // Every request passes here: a request that does not impersonate costs one look at its header names.
        if (!headers.Keys.Any(k => k.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase)))
        {
            return next();
        }

        var requestedUser = headers[UserHeader].FirstOrDefault() ?? "";
        var requestedGroups = headers[GroupHeader];
        var requestedUid = headers[UidHeader].FirstOrDefault() ?? "";
        var extras = headers.Where(h => h.Key.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (requestedUser.Length == 0 && requestedGroups.Count == 0 && requestedUid.Length == 0 && extras.Count == 0)
        {
            return next();
        }

        if (requestedUser.Length == 0)
        {
            throw new ApiException(500, "InternalError",
                $"Internal error occurred: requested {GoReferences(requestedGroups, requestedUid)} without impersonating a user");
        }

        var groups = new List<string>();
        if (SplitServiceAccount(requestedUser) is var (ns, name))
        {
            Authorize(context, ServiceAccounts, ns, name, null);
            if (requestedGroups.Count == 0)
            {
                groups.AddRange([ServiceAccountUser.AllGroup, $"{ServiceAccountUser.AllGroup}:{ns}"]);
            }
        }
        else
        {
            Authorize(context, Users, null, requestedUser, null);
        }

        foreach (var group in requestedGroups.Where(g => g is not null))
        {
            Authorize(context, Groups, null, group!, null);
            groups.Add(group!);
        }

        foreach (var (header, values) in extras)
        {
            var key = Uri.UnescapeDataString(header[ExtraHeaderPrefix.Length..]).ToLowerInvariant();
            foreach (var value in values.Where(v => v is not null))
            {
                Authorize(context, UserExtras, null, value!, key);
            }
        }

        if (requestedUid.Length > 0)
        {
            Authorize(context, Uids, null, requestedUid, null);
        }

        // kube adds system:authenticated (system:unauthenticated for system:anonymous) unless a group given decides it.
        var (implied, deciding) = requestedUser == RequestUser.Anonymous.Name
            ? (RequestUser.Unauthenticated, new[] { RequestUser.Unauthenticated })
            : (RequestUser.Authenticated, new[] { RequestUser.Authenticated, RequestUser.Unauthenticated });
        if (!groups.Any(deciding.Contains))
        {
            groups.Add(implied);
        }

        new RequestUser(requestedUser, groups).AttachTo(context);
        foreach (var header in headers.Keys.Where(k => k.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(header);
        }

        return next();
    }

    /// <summary>May the authenticated user impersonate this? The answer, like any refusal, in kube's words.</summary>
    private void Authorize(HttpContext context, ResourceType type, string? ns, string name, string? subresource) =>
        authorizer.Authorize(context, type, new RequestAttributes("impersonate", type.Group, type.Plural, subresource, ns, name));

    /// <summary>kube's <c>serviceaccount.SplitUsername</c>: <c>system:serviceaccount:NS:NAME</c>, both valid names.</summary>
    private static (string Namespace, string Name)? SplitServiceAccount(string user) =>
        ServiceAccountUser.Split(user) is var (ns, name) && FormatValidation.IsDns1123Label(ns).Count == 0 && FormatValidation.IsDns1123Subdomain(name).Count == 0
            ? (ns, name)
            : null;

    /// <summary>The requests as Go's <c>%v</c> prints a <c>[]v1.ObjectReference</c>, as kube's error message does.</summary>
    private static string GoReferences(StringValues groups, string uid)
    {
        var references = groups.Select(g => $"{{Group  {g}    }}").ToList();
        if (uid.Length > 0)
        {
            references.Add($"{{UID  {uid}  authentication.k8s.io/v1  }}");
        }

        return "[" + string.Join(" ", references) + "]";
    }

    private static ResourceType Subject(string group, string kind, string plural) =>
        new(group, "v1", kind, plural, "", false, typeof(object), [], [], []);
}
