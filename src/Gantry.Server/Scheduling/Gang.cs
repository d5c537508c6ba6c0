using System.Globalization;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// A group of pods placed all together or not at all: the pods of one namespace sharing the
/// <c>scheduling.gantry.io/gang</c> label, whose <c>scheduling.gantry.io/gang-size</c> annotation
/// says how many there must be.
/// </summary>
public sealed record Gang(string Namespace, string Name, int Size)
{
    public const string Label = "scheduling.gantry.io/gang";
    public const string SizeAnnotation = "scheduling.gantry.io/gang-size";

    /// <summary>The pod's gang, or null when it has none (or a size that is not a positive number: it is then scheduled alone).</summary>
    public static Gang? Of(V1Pod pod) =>
        pod.Metadata.Labels?.TryGetValue(Label, out var name) == true && !string.IsNullOrEmpty(name)
        && pod.Metadata.Annotations?.TryGetValue(SizeAnnotation, out var text) == true
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? new Gang(pod.Namespace(), name, size)
            : null;

    public bool Includes(V1Pod pod) => pod.Namespace() == Namespace && pod.Metadata.Labels?.TryGetValue(Label, out var name) == true && name == Name;
}
