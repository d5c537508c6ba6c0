namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// kube-openapi's <c>validate.Result</c>: errors without repeats (compared by message) and the count of checks that
/// passed, which picks the alternative whose errors anyOf and oneOf report.
/// </summary>
internal sealed class OpenApiResult
{
    private readonly List<OpenApiError> _errors = [];

    public IReadOnlyList<OpenApiError> Errors => _errors;

    public int MatchCount { get; private set; }

    public bool IsValid => _errors.Count == 0;

    public static OpenApiResult Of(OpenApiError error)
    {
        var result = new OpenApiResult();
        result.Add(error);
        return result;
    }

    public void Add(OpenApiError? error)
    {
        if (error is not null && !_errors.Exists(e => string.Equals(e.Message, error.Message, StringComparison.Ordinal)))
        {
            _errors.Add(error);
        }
    }

    public OpenApiResult Merge(OpenApiResult? other)
    {
        if (other is not null)
        {
            foreach (var error in other._errors)
            {
                Add(error);
            }

            MatchCount += other.MatchCount;
        }

        return this;
    }

    public void Inc() => MatchCount++;
}
