namespace Gantry.Core.Cel;

/// <summary>The runtime errors, worded as cel-go words them so messages look familiar to Kubernetes users.</summary>
internal static class CelErrors
{
    public static CelEvaluationException NoSuchOverload(string function, params object?[] args) =>
        new($"no such overload: {function}({string.Join(", ", args.Select(a => CelType.Of(a).Name))})");

    public static CelEvaluationException NoSuchKey(object? key) =>
        new($"no such key: {(key is string s ? s : CelValues.Format(key))}");

    public static CelEvaluationException Overflow() => new("integer overflow");

    public static CelEvaluationException DivisionByZero() => new("division by zero");

    public static CelEvaluationException ModulusByZero() => new("modulus by zero");

    public static CelEvaluationException IndexOutOfRange(long index) => new($"index out of range: {index}");

    public static CelEvaluationException CostLimit() =>
        new("operation cancelled: actual cost limit exceeded") { IsFatal = true };
}
