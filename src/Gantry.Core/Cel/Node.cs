namespace Gantry.Core.Cel;

/// <summary>
/// A node of the expression tree. The parser builds it, <see cref="Bind"/> checks names once at compile time, and
/// <see cref="Eval"/> interprets it; runtime errors are thrown as <see cref="CelEvaluationException"/>.
/// </summary>
internal abstract class Node(int position, int depth)
{
    /// <summary>Offset in the source, for compile-time messages.</summary>
    public int Position { get; } = position;

    /// <summary>Height of the subtree: evaluation recurses this deep, so the parser bounds it.</summary>
    public int Depth { get; } = depth;

    public abstract object? Eval(Activation activation);

    /// <summary>Resolves identifiers and functions; returns the node to evaluate (itself, or a replacement).</summary>
    public abstract Node Bind(Binder binder);

    protected static int DepthOf(params IEnumerable<Node?> children) => 1 + children.Max(c => c?.Depth ?? 0);
}
