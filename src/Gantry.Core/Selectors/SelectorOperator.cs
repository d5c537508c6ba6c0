namespace Gantry.Core.Selectors;

/// <summary>The operators of label and field selectors (apimachinery's <c>selection.Operator</c>).</summary>
public enum SelectorOperator
{
    /// <summary><c>key=value</c>.</summary>
    Equals,

    /// <summary><c>key==value</c>, which means the same as <see cref="Equals"/>.</summary>
    DoubleEquals,

    /// <summary><c>key!=value</c>: true also when the key is absent.</summary>
    NotEquals,

    /// <summary><c>key in (a, b)</c>.</summary>
    In,

    /// <summary><c>key notin (a, b)</c>: true also when the key is absent.</summary>
    NotIn,

    /// <summary><c>key</c> alone.</summary>
    Exists,

    /// <summary><c>!key</c>.</summary>
    DoesNotExist,

    /// <summary><c>key&gt;5</c>: the label's value, parsed as an integer, is greater.</summary>
    GreaterThan,

    /// <summary><c>key&lt;5</c>.</summary>
    LessThan,
}
