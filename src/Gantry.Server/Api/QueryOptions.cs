using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>The query parameters of API requests, parsed and checked once.</summary>
public static class QueryOptions
{
    private const int MaxFieldManagerLength = 128;

    public static WriteOptions Write(HttpContext context)
    {
        var query = context.Request.Query;
        var validation = query["fieldValidation"].ToString() switch
        {
            "" or "Strict" => FieldValidation.Strict,
            "Warn" => FieldValidation.Warn,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiException.BadRequest($"fieldValidation parameter unsupported: {other}"),
        };
        return new WriteOptions(IsDryRun(context), FieldManager(context) ?? UserAgentManager(context), validation) { User = RequestUser.Of(context) };
    }

    /// <summary>A write's options on <paramref name="path"/>, with the version it is served in when that is not the stored one.</summary>
    public static WriteOptions Write(HttpContext context, ResourcePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Conversion is null ? Write(context) : Write(context) with { ServedApiVersion = path.Served.ApiVersion };
    }

    /// <summary>The <c>fieldManager</c> parameter, which an apply patch must give.</summary>
    public static string? FieldManager(HttpContext context) => NullIfEmpty(context.Request.Query["fieldManager"].ToString());

    /// <summary>
    /// The manager an update without a <c>fieldManager</c> is recorded under, as the apiserver's
    /// <c>managerOrUserAgent</c> names it: the User-Agent up to its first '/', printable characters only, at most 128.
    /// </summary>
    private static string? UserAgentManager(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        var product = slash >= 0 ? agent[..slash] : agent;
        var manager = new string(product.Where(c => !char.IsControl(c)).Take(MaxFieldManagerLength).ToArray());
        return NullIfEmpty(manager);
    }

    public static bool IsDryRun(HttpContext context) => context.Request.Query["dryRun"].ToString() switch
    {
        "" => false,
        "All" => true,
        var other => throw ApiException.BadRequest($"Invalid dry run value: {other}"),
    };

    /// <summary>The list/watch filter: namespace prefix plus label and field selectors.</summary>
    public static WatchFilter Filter(HttpContext context, ResourcePath path)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Empty;
        var labelText = query["labelSelector"].ToString();
        if (labelText.Length > 0)
        {
            try
            {
                labels = LabelSelector.Parse(labelText);
            }
            catch (SelectorParseException ex)
            {
                throw ApiException.BadRequest(ex.Message);
            }
        }

        FieldSelector? fields = null;
        var fieldText = query["fieldSelector"].ToString();
        if (fieldText.Length > 0)
        {
            try
            {
                fields = FieldSelector.Parse(fieldText);
            }
            catch (SelectorParseException ex)
            {
                throw ApiException.BadRequest(ex.Message);
            }

            foreach (var term in fields.Terms)
            {
                if (StoredField(path, term.Field) is not { } stored || !SelectableFields.IsSupported(path.Type, stored))
                {
                    throw ApiException.BadRequest($"field label not supported: {term.Field}");
                }
            }
        }

        Func<CachedObject, bool>? predicate = null;
        if (!labels.IsEmpty || fields is not null)
        {
            predicate = obj => labels.Matches(obj.Labels) && (fields is null || fields.Matches(f => obj.Fields.GetValueOrDefault(StoredField(path, f)!)));
        }

        return new WatchFilter(path.Type.NamespacePrefix(path.Namespace), predicate);
    }

    /// <summary>The stored objects' field a selector on <paramref name="path"/>'s served version names; null when it names none.</summary>
    private static string? StoredField(ResourcePath path, string field) =>
        path.Conversion is { } conversion ? conversion.StoredFieldLabel(field) : field;

    public static DeleteRequest Delete(HttpContext context, System.Text.Json.Nodes.JsonObject? body)
    {
        var query = context.Request.Query;
        long? grace = body?["gracePeriodSeconds"]?.GetValue<long>();
        if (long.TryParse(query["gracePeriodSeconds"].ToString(), out var g))
        {
            grace = g;
        }

        var policy = NullIfEmpty(query["propagationPolicy"].ToString()) ?? body?["propagationPolicy"]?.GetValue<string>();
        var orphan = query["orphanDependents"].ToString() == "true" || body?["orphanDependents"]?.GetValue<bool>() == true;
        if (policy is null && orphan)
        {
            policy = "Orphan";
        }

        if (policy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        var dryRun = IsDryRun(context) || body?["dryRun"] is System.Text.Json.Nodes.JsonArray { Count: > 0 };
        return new DeleteRequest(
            grace,
            policy,
            body?["preconditions"]?["uid"]?.GetValue<string>(),
            body?["preconditions"]?["resourceVersion"]?.GetValue<string>(),
            dryRun)
        {
            User = RequestUser.Of(context),
        };
    }

    public static int Limit(HttpContext context) =>
        int.TryParse(context.Request.Query["limit"].ToString(), out var limit) && limit > 0 ? limit : 0;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
