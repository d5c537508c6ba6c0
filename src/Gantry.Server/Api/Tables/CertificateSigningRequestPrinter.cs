using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// kubectl's table of CertificateSigningRequests: the signer, who asked, for how long, and the condition as kube's
/// printer sums it up (Denied, else Approved, else Pending; then Failed and Issued).
/// </summary>
internal static class CertificateSigningRequestPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Age,
            TableColumn.Text("SignerName", "signerName indicates the requested signer, and is a qualified name."),
            TableColumn.Text("Requestor", "request contains an x509 certificate signing request encoded in a \"CERTIFICATE REQUEST\" PEM block."),
            TableColumn.Text("RequestedDuration", "expirationSeconds is the requested duration of validity of the issued certificate."),
            TableColumn.Text("Condition", "conditions applied to the request. Known conditions are \"Approved\", \"Denied\", and \"Failed\"."),
        ],
        (csr, now) =>
        [
            CellFormat.Name(csr),
            CellFormat.Age(csr, now),
            JsonRead.String(csr, "spec", "signerName") is { Length: > 0 } signer ? signer : "<none>",
            JsonRead.String(csr, "spec", "username"),
            JsonRead.OptionalLong(csr, "spec", "expirationSeconds") is { } seconds ? HumanDuration.Format(TimeSpan.FromSeconds(seconds)) : "<none>",
            Condition(csr),
        ]);

    private static string Condition(JsonObject csr)
    {
        var types = (JsonRead.At(csr, "status", "conditions") as JsonArray ?? []).Select(c => c?["type"]?.GetValue<string>()).ToHashSet();
        var condition = types.Contains("Denied") ? "Denied" : types.Contains("Approved") ? "Approved" : "Pending";
        if (types.Contains("Failed"))
        {
            condition += ",Failed";
        }

        return JsonRead.String(csr, "status", "certificate") is { Length: > 0 } ? condition + ",Issued" : condition;
    }
}
