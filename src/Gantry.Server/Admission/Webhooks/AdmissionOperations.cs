namespace Gantry.Server.Admission.Webhooks;

/// <summary>The operations a webhook rule names (admissionregistration's <c>OperationType</c>).</summary>
public static class AdmissionOperations
{
    public const string Create = "CREATE";
    public const string Update = "UPDATE";
    public const string Delete = "DELETE";
    public const string Connect = "CONNECT";
    public const string All = "*";
}
