using System.Text.Json.Nodes;
using Gantry.Core.Cel;
using Xunit;

namespace Gantry.Tests.Cel;

/// <summary>Compiles and evaluates expressions in one call, so each test reads as expression and expected value.</summary>
internal static class CelTestHelper
{
    public static object? Eval(string expression, params (string Name, object? Value)[] variables)
    {
        var program = CelProgram.Compile(expression, variables.Select(v => v.Name).ToList());
        return program.Evaluate(variables.ToDictionary(v => v.Name, v => v.Value));
    }

    public static object? EvalJson(string expression, string self, string? oldSelf = null)
    {
        var variables = new List<(string, object?)> { ("self", CelValues.FromJson(JsonNode.Parse(self))) };
        if (oldSelf is not null)
        {
            variables.Add(("oldSelf", CelValues.FromJson(JsonNode.Parse(oldSelf))));
        }
        return Eval(expression, [.. variables]);
    }

    public static string Error(string expression, params (string Name, object? Value)[] variables) =>
        Assert.Throws<CelEvaluationException>(() => Eval(expression, variables)).Message;

    public static CelList List(params object?[] items) => new(items);
}
