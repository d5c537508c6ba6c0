using Gantry.Core.Cel;
using Xunit;

namespace Gantry.Tests.Cel;

public sealed class LimitTests
{
    private static readonly CelList Thousand = new(Enumerable.Range(0, 1000).Select(i => (object?)(long)i));

    [Fact]
    public void Runaway_nested_comprehensions_hit_the_cost_limit()
    {
        var program = CelProgram.Compile("self.all(x, self.all(y, self.all(z, true)))", ["self"]);
        var e = Assert.Throws<CelEvaluationException>(() => program.Evaluate(new Dictionary<string, object?> { ["self"] = Thousand }));
        Assert.Equal("operation cancelled: actual cost limit exceeded", e.Message);
    }

    [Fact]
    public void The_cost_limit_is_not_absorbed_by_logical_operators()
    {
        var program = CelProgram.Compile("true || self.all(x, self.all(y, self.all(z, true)))", ["self"]);
        Assert.Equal(true, program.Evaluate(new Dictionary<string, object?> { ["self"] = Thousand }));
        program = CelProgram.Compile("self.all(x, self.all(y, self.all(z, true))) || true", ["self"]);
        Assert.Throws<CelEvaluationException>(() => program.Evaluate(new Dictionary<string, object?> { ["self"] = Thousand }));
    }

    [Fact]
    public void A_cancelled_token_stops_evaluation()
    {
        var program = CelProgram.Compile("self.all(x, true)", ["self"]);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => program.Evaluate(new Dictionary<string, object?> { ["self"] = Thousand }, cts.Token));
    }
}
