using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Marathon;

/// <summary>
/// An app definition as Marathon keeps it: what was posted, checked field by field as Marathon's validators check it
/// (each violation named by its JSON path), with Marathon's defaults filled in. Read-only fields a client copies back
/// from a GET (version, task counts, deployments) are dropped; fields Gantry cannot honour (fetched URIs, volumes,
/// constraint operators other than UNIQUE and CLUSTER, secrets) are refused rather than ignored.
/// </summary>
public static class AppDefinition
{
    public const double DefaultCpus = 1;
    public const double DefaultMem = 128;

    /// <summary>Mesos' default time between SIGTERM and SIGKILL, which Marathon's tasks get unless they set taskKillGracePeriodSeconds.</summary>
    public const double DefaultKillGraceSeconds = 3;

    private static readonly HashSet<string> HealthProtocols = ["HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP"];

    /// <summary>The canonical definition of <paramref name="input"/> with <paramref name="id"/>; throws 422 with every violation.</summary>
    public static JsonObject Normalize(JsonObject input, string id)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(id);
        var errors = new List<(string, string)>();
        var app = new JsonObject { ["id"] = id };
        if (AppIds.Invalid(id) is { } invalidId)
        {
            errors.Add(("/id", invalidId));
        }

        var cmd = Text(input, "cmd", errors);
        var args = Texts(input["args"], "/args", errors);
        var container = Container(input["container"], errors);
        if (cmd is null && args is null && container is null)
        {
            errors.Add(("/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."));
        }

        if (cmd is not null && args is not null)
        {
            errors.Add(("/", "AppDefinition must either contain a 'cmd' or a 'args', but not both."));
        }

        app["cmd"] = cmd;
        app["args"] = args;
        app["user"] = Text(input, "user", errors);
        app["env"] = StringMap(input["env"], "/env", errors, "Gantry does not resolve secrets: give the variable's value");
        app["instances"] = (int)Number(input, "instances", 1, 0, int.MaxValue, errors, whole: true);
        app["cpus"] = Number(input, "cpus", DefaultCpus, 0, double.MaxValue, errors);
        app["mem"] = Number(input, "mem", DefaultMem, 0, double.MaxValue, errors);
        app["disk"] = Number(input, "disk", 0, 0, double.MaxValue, errors);
        app["gpus"] = (int)Number(input, "gpus", 0, 0, int.MaxValue, errors, whole: true);
        app["executor"] = "";
        app["constraints"] = Constraints(input["constraints"], errors);
        app["uris"] = Unsupported(input, "uris", "Gantry does not fetch URIs into a task's sandbox", errors);
        app["fetch"] = Unsupported(input, "fetch", "Gantry does not fetch URIs into a task's sandbox", errors);
        app["storeUrls"] = new JsonArray();
        app["backoffSeconds"] = Number(input, "backoffSeconds", 1, 0, double.MaxValue, errors);
        app["backoffFactor"] = Number(input, "backoffFactor", 1.15, 1, double.MaxValue, errors);
        app["maxLaunchDelaySeconds"] = Number(input, "maxLaunchDelaySeconds", 300, 0, double.MaxValue, errors);
        app["container"] = container;
        var ports = container?["portMappings"] is JsonArray mappings && mappings.Count > 0 ? null : PortDefinitions(input, errors);
        app["portDefinitions"] = ports ?? new JsonArray();
        app["requirePorts"] = input["requirePorts"]?.GetValueKind() == JsonValueKind.True;
        app["healthChecks"] = HealthChecks(input["healthChecks"], PortCount(app), errors);
        app["readinessChecks"] = new JsonArray();
        app["dependencies"] = new JsonArray();
        app["upgradeStrategy"] = UpgradeStrategy(input["upgradeStrategy"], errors);
        app["labels"] = StringMap(input["labels"], "/labels", errors, "must be a string");
        app["taskKillGracePeriodSeconds"] = Number(input, "taskKillGracePeriodSeconds", DefaultKillGraceSeconds, 0, int.MaxValue, errors, whole: true);
        app["killSelection"] = Text(input, "killSelection", errors) ?? "YOUNGEST_FIRST";
        if (app["killSelection"]!.GetValue<string>() is not ("YOUNGEST_FIRST" or "OLDEST_FIRST"))
        {
            errors.Add(("/killSelection", "error.expected.validenumvalue"));
        }

        app["networks"] = new JsonArray(new JsonObject { ["mode"] = "host" });
        if (errors.Count > 0)
        {
            throw MarathonException.Invalid(errors);
        }

        return app;
    }

    public static int PortCount(JsonObject app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app["container"]?["portMappings"] is JsonArray { Count: > 0 } mappings ? mappings.Count : (app["portDefinitions"] as JsonArray)?.Count ?? 0;
    }

    private static string? Text(JsonObject input, string name, List<(string, string)> errors)
    {
        var node = input[name];
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(($"/{name}", "error.expected.jsstring"));
            return null;
        }

        var value = node.GetValue<string>();
        return value.Length == 0 ? null : value;
    }

    private static JsonArray? Texts(JsonNode? node, string path, List<(string, string)> errors)
    {
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        if (node is not JsonArray array || array.Any(a => a?.GetValueKind() != JsonValueKind.String))
        {
            errors.Add((path, "error.expected.jsarray of strings"));
            return null;
        }

        return array.Count == 0 ? null : (JsonArray)array.DeepClone();
    }

    private static double Number(JsonObject input, string name, double fallback, double min, double max, List<(string, string)> errors, bool whole = false)
    {
        var node = input[name];
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return fallback;
        }

        if (node.GetValueKind() != JsonValueKind.Number)
        {
            errors.Add(($"/{name}", "error.expected.jsnumber"));
            return fallback;
        }

        var value = NumberOf(node);
        if (whole && value != Math.Floor(value))
        {
            errors.Add(($"/{name}", "error.expected.int"));
            return fallback;
        }

        if (value > max)
        {
            errors.Add(($"/{name}", $"got {value.ToString("0.###", CultureInfo.InvariantCulture)}, expected {max.ToString("0.###", CultureInfo.InvariantCulture)} or less"));
            return fallback;
        }

        if (value < min)
        {
            var shown = whole ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.0##", CultureInfo.InvariantCulture);
            var bound = whole ? min.ToString("0", CultureInfo.InvariantCulture) : min.ToString("0.0##", CultureInfo.InvariantCulture);
            errors.Add(($"/{name}", $"got {shown}, expected {bound} or more"));
            return fallback;
        }

        return value;
    }

    /// <summary>A JSON number as a double, whether it came parsed from text or was put in a tree as an int.</summary>
    private static double NumberOf(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static JsonObject StringMap(JsonNode? node, string path, List<(string, string)> errors, string nonString)
    {
        var map = new JsonObject();
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return map;
        }

        if (node is not JsonObject obj)
        {
            errors.Add((path, "error.expected.jsobject"));
            return map;
        }

        foreach (var (key, value) in obj)
        {
            if (value?.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(($"{path}/{key}", nonString));
                continue;
            }

            map[key] = value.GetValue<string>();
        }

        return map;
    }

    private static JsonArray Unsupported(JsonObject input, string name, string why, List<(string, string)> errors)
    {
        if (input[name] is JsonArray { Count: > 0 })
        {
            errors.Add(($"/{name}", why));
        }

        return new JsonArray();
    }

    private static JsonArray Constraints(JsonNode? node, List<(string, string)> errors)
    {
        var constraints = new JsonArray();
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return constraints;
        }

        if (node is not JsonArray array)
        {
            errors.Add(("/constraints", "error.expected.jsarray"));
            return constraints;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var path = $"/constraints({i})";
            if (array[i] is not JsonArray constraint || constraint.Count is < 2 or > 3 || constraint.Any(c => c?.GetValueKind() != JsonValueKind.String))
            {
                errors.Add((path, "Each constraint must have either 2 or 3 fields, all strings"));
                continue;
            }

            var op = constraint[1]!.GetValue<string>();
            if (op == "UNIQUE" && constraint[0]!.GetValue<string>() != "hostname")
            {
                errors.Add((path, "Gantry supports UNIQUE on the field hostname only"));
            }
            else if (op == "CLUSTER" && constraint.Count != 3)
            {
                errors.Add((path, "CLUSTER requires a value"));
            }
            else if (op is not ("UNIQUE" or "CLUSTER"))
            {
                errors.Add((path, $"Gantry does not support the constraint operator {op}: use UNIQUE or CLUSTER"));
            }

            constraints.Add(constraint.DeepClone());
        }

        return constraints;
    }

    private static JsonObject? Container(JsonNode? node, List<(string, string)> errors)
    {
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        if (node is not JsonObject container)
        {
            errors.Add(("/container", "error.expected.jsobject"));
            return null;
        }

        var type = container["type"]?.GetValue<string>() ?? "DOCKER";
        var image = container["docker"]?["image"];
        if (type is not ("DOCKER" or "MESOS"))
        {
            errors.Add(("/container/type", $"Gantry runs DOCKER and MESOS containers, not {type}"));
        }

        if (image?.GetValueKind() != JsonValueKind.String || image.GetValue<string>().Length == 0)
        {
            errors.Add(("/container/docker/image", "must not be empty"));
        }

        if (container["volumes"] is JsonArray { Count: > 0 })
        {
            errors.Add(("/container/volumes", "Gantry does not mount volumes into Marathon apps"));
        }

        var mappings = new JsonArray();
        foreach (var mapping in container["portMappings"] as JsonArray ?? container["docker"]?["portMappings"] as JsonArray ?? [])
        {
            var port = mapping?["containerPort"];
            if (port?.GetValueKind() != JsonValueKind.Number)
            {
                errors.Add(("/container/portMappings", "containerPort must be a number"));
                continue;
            }

            mappings.Add(new JsonObject
            {
                ["containerPort"] = port.GetValue<int>(),
                ["hostPort"] = mapping?["hostPort"]?.GetValue<int>() ?? 0,
                ["servicePort"] = mapping?["servicePort"]?.GetValue<int>() ?? 0,
                ["protocol"] = mapping?["protocol"]?.GetValue<string>() ?? "tcp",
                ["name"] = mapping?["name"]?.GetValue<string>(),
            });
        }

        return new JsonObject
        {
            ["type"] = type,
            ["docker"] = new JsonObject
            {
                ["image"] = image?.GetValueKind() == JsonValueKind.String ? image.GetValue<string>() : null,
                ["forcePullImage"] = container["docker"]?["forcePullImage"]?.GetValueKind() == JsonValueKind.True,
            },
            ["portMappings"] = mappings,
            ["volumes"] = new JsonArray(),
        };
    }

    private static JsonArray? PortDefinitions(JsonObject input, List<(string, string)> errors)
    {
        var definitions = new JsonArray();
        if (input["portDefinitions"] is JsonArray given)
        {
            foreach (var definition in given)
            {
                if (definition?["port"]?.GetValueKind() is not (JsonValueKind.Number or null))
                {
                    errors.Add(("/portDefinitions", "port must be a number"));
                    continue;
                }

                var normalized = new JsonObject
                {
                    ["port"] = definition?["port"]?.GetValue<int>() ?? 0,
                    ["protocol"] = definition?["protocol"]?.GetValue<string>() ?? "tcp",
                    ["labels"] = new JsonObject(),
                };
                if (definition?["name"]?.GetValue<string>() is { } name)
                {
                    normalized["name"] = name;
                }

                definitions.Add(normalized);
            }

            return definitions;
        }

        // Marathon's default: one port, assigned when the app is created.
        foreach (var port in input["ports"] as JsonArray ?? [JsonValue.Create(0)])
        {
            definitions.Add(new JsonObject { ["port"] = port?.GetValue<int>() ?? 0, ["protocol"] = "tcp", ["labels"] = new JsonObject() });
        }

        return definitions;
    }

    private static JsonArray HealthChecks(JsonNode? node, int ports, List<(string, string)> errors)
    {
        var checks = new JsonArray();
        if (node is not (null or JsonArray) && node.GetValueKind() != JsonValueKind.Null)
        {
            errors.Add(("/healthChecks", "error.expected.jsarray"));
        }

        for (var i = 0; i < (node as JsonArray)?.Count; i++)
        {
            var check = (node as JsonArray)![i] as JsonObject ?? [];
            var path = $"/healthChecks({i})";
            var protocol = check["protocol"]?.GetValue<string>() ?? "HTTP";
            if (!HealthProtocols.Contains(protocol))
            {
                errors.Add(($"{path}/protocol", $"error.unknown.protocol {protocol}"));
                continue;
            }

            var normalized = new JsonObject
            {
                ["gracePeriodSeconds"] = check["gracePeriodSeconds"]?.GetValue<int>() ?? 300,
                ["intervalSeconds"] = check["intervalSeconds"]?.GetValue<int>() ?? 60,
                ["timeoutSeconds"] = check["timeoutSeconds"]?.GetValue<int>() ?? 20,
                ["maxConsecutiveFailures"] = check["maxConsecutiveFailures"]?.GetValue<int>() ?? 3,
                ["delaySeconds"] = check["delaySeconds"]?.GetValue<int>() ?? 15,
                ["protocol"] = protocol,
            };
            if (protocol == "COMMAND")
            {
                if (check["command"]?["value"]?.GetValue<string>() is not { Length: > 0 } command)
                {
                    errors.Add(($"{path}/command", "must not be empty"));
                    continue;
                }

                normalized["command"] = new JsonObject { ["value"] = command };
            }
            else
            {
                if (check["port"]?.GetValue<int>() is { } port)
                {
                    normalized["port"] = port;
                }
                else if ((check["portIndex"]?.GetValue<int>() ?? 0) is var index && index >= 0 && index < ports)
                {
                    normalized["portIndex"] = index;
                }
                else
                {
                    errors.Add(($"{path}/portIndex", "Health check port indices must address an element of the ports array or container port mappings."));
                    continue;
                }

                if (protocol.EndsWith("HTTP", StringComparison.Ordinal) || protocol.EndsWith("HTTPS", StringComparison.Ordinal))
                {
                    normalized["path"] = check["path"]?.GetValue<string>() ?? "/";
                    normalized["ignoreHttp1xx"] = check["ignoreHttp1xx"]?.GetValueKind() == JsonValueKind.True;
                }
            }

            checks.Add(normalized);
        }

        return checks;
    }

    private static JsonObject UpgradeStrategy(JsonNode? node, List<(string, string)> errors)
    {
        if (node is not (null or JsonObject) && node.GetValueKind() != JsonValueKind.Null)
        {
            errors.Add(("/upgradeStrategy", "error.expected.jsobject"));
        }

        var strategy = node as JsonObject ?? [];
        var health = Fraction(strategy, "minimumHealthCapacity", errors);
        var over = Fraction(strategy, "maximumOverCapacity", errors);
        return new JsonObject { ["minimumHealthCapacity"] = health, ["maximumOverCapacity"] = over };
    }

    private static double Fraction(JsonObject strategy, string name, List<(string, string)> errors)
    {
        var node = strategy[name];
        if (node is not null && node.GetValueKind() != JsonValueKind.Number)
        {
            errors.Add(($"/upgradeStrategy/{name}", "error.expected.jsnumber"));
            return 1;
        }

        var value = node is null ? 1 : NumberOf(node);
        if (value is < 0 or > 1)
        {
            errors.Add(($"/upgradeStrategy/{name}", $"got {value.ToString("0.0##", CultureInfo.InvariantCulture)}, expected between 0.0 and 1.0"));
            return 1;
        }

        return value;
    }
}
