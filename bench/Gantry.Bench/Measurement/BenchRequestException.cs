namespace Gantry.Bench.Measurement;

/// <summary>The server answered, but not with the status the benchmark expects.</summary>
internal sealed class BenchRequestException : Exception
{
    public BenchRequestException(string message)
        : base(message)
    {
    }

    public BenchRequestException()
    {
    }

    public BenchRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
