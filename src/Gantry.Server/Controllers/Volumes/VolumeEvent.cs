namespace Gantry.Server.Controllers.Volumes;

/// <summary>An event a volume decision asks to be recorded, in kube's words.</summary>
public sealed record VolumeEvent(string Type, string Reason, string Message)
{
    public static VolumeEvent Normal(string reason, string message) => new("Normal", reason, message);

    public static VolumeEvent Warning(string reason, string message) => new("Warning", reason, message);
}
