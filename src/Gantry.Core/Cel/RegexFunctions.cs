using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Gantry.Core.Cel;

/// <summary>
/// <c>matches</c> and Kubernetes' regex library (<c>find</c>, <c>findAll</c>). Patterns are RE2, translated to .NET
/// and run by the non-backtracking engine, which like RE2 runs in linear time, under a timeout as a second guard.
/// A constant pattern is checked at compile time, as cel-go does.
/// </summary>
internal static class RegexFunctions
{
    private const int CacheLimit = 512;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static void Register(FunctionRegistry r)
    {
        r.Both("matches", 1, a => a is [string s, string p] ? Run(() => Compile(p).IsMatch(s)) : throw CelErrors.NoSuchOverload("matches", a));
        r.Member("find", 1, a => a is [string s, string p]
            ? Run(() => Compile(p).Match(s) is { Success: true } m ? m.Value : "")
            : throw CelErrors.NoSuchOverload("find", a));
        r.Member("findAll", 1, a => a is [string s, string p] ? FindAll(s, p, -1) : throw CelErrors.NoSuchOverload("findAll", a));
        r.Member("findAll", 2, a => a is [string s, string p, long n] ? FindAll(s, p, n) : throw CelErrors.NoSuchOverload("findAll", a));
    }

    /// <summary>Rejects an invalid constant pattern when the expression is compiled, not when it first runs.</summary>
    public static void CheckConstantPattern(CallNode call, Binder binder)
    {
        if (call.Function is not ("matches" or "find" or "findAll"))
        {
            return;
        }
        var args = call.Args;
        var pattern = call.Target is null ? (args.Count > 1 ? args[1] : null) : (args.Count > 0 ? args[0] : null);
        if (pattern is LiteralNode { Value: string p })
        {
            try
            {
                Compile(p);
            }
            catch (CelEvaluationException e)
            {
                throw binder.Error(pattern.Position, e.Message);
            }
        }
    }

    private static CelList FindAll(string s, string pattern, long n)
    {
        if (n == 0)
        {
            return CelList.Empty;
        }
        return Run(() =>
        {
            var matches = Compile(pattern).Matches(s).Select(m => (object?)m.Value);
            return new CelList(n < 0 ? matches : matches.Take((int)Math.Min(n, int.MaxValue)));
        });
    }

    private static T Run<T>(Func<T> match)
    {
        try
        {
            return match();
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new CelEvaluationException("regular expression match timed out", e);
        }
    }

    private static Regex Compile(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }
        Regex regex;
        try
        {
            regex = new Regex(Re2Translator.Translate(pattern), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, Timeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new CelEvaluationException($"error parsing regexp: {e.Message}", e);
        }
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }
        Cache[pattern] = regex;
        return regex;
    }
}
