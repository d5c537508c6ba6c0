namespace Gantry.Core.Patching;

/// <summary>How the fields of an object changed between two versions of it.</summary>
internal sealed record FieldComparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;
}
