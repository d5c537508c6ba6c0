using Xunit.Sdk;

namespace Gantry.E2E.Harness;

/// <summary>Assertions on command results whose failure messages carry the whole command and its output.</summary>
public static class Check
{
    /// <summary>The command exited 0.</summary>
    public static CommandResult Succeeded(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            throw new XunitException("Expected the command to succeed.\n" + result.Describe());
        }

        return result;
    }

    /// <summary>The command ran to completion and exited non-zero.</summary>
    public static CommandResult Failed(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TimedOut || result.ExitCode == 0)
        {
            throw new XunitException("Expected the command to fail with a non-zero exit status.\n" + result.Describe());
        }

        return result;
    }

    /// <summary>stdout contains <paramref name="expected"/> (ordinal).</summary>
    public static void StdoutContains(CommandResult result, string expected)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Stdout.Contains(expected, StringComparison.Ordinal))
        {
            throw new XunitException($"Expected stdout to contain «{expected}».\n" + result.Describe());
        }
    }

    /// <summary>stderr contains <paramref name="expected"/> (ordinal).</summary>
    public static void StderrContains(CommandResult result, string expected)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Stderr.Contains(expected, StringComparison.Ordinal))
        {
            throw new XunitException($"Expected stderr to contain «{expected}».\n" + result.Describe());
        }
    }

    /// <summary>stdout does not contain <paramref name="unexpected"/> (ordinal).</summary>
    public static void StdoutLacks(CommandResult result, string unexpected)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Stdout.Contains(unexpected, StringComparison.Ordinal))
        {
            throw new XunitException($"Expected stdout NOT to contain «{unexpected}».\n" + result.Describe());
        }
    }

    /// <summary>stderr does not contain <paramref name="unexpected"/> (ordinal).</summary>
    public static void StderrLacks(CommandResult result, string unexpected)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Stderr.Contains(unexpected, StringComparison.Ordinal))
        {
            throw new XunitException($"Expected stderr NOT to contain «{unexpected}».\n" + result.Describe());
        }
    }

    /// <summary>A value read back from the cluster equals what the test expects.</summary>
    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new XunitException($"{what}: expected «{expected}», got «{actual}».");
        }
    }
}
