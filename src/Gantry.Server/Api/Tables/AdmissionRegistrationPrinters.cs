namespace Gantry.Server.Api.Tables;

/// <summary>kube's <c>printMutatingWebhook</c> and <c>printValidatingWebhook</c>: the name, how many webhooks, the age.</summary>
internal static class AdmissionRegistrationPrinters
{
    public static TablePrinter MutatingWebhookConfiguration { get; } = WebhookConfiguration();

    public static TablePrinter ValidatingWebhookConfiguration { get; } = WebhookConfiguration();

    private static TablePrinter WebhookConfiguration() => new(
        [
            TableColumn.ObjectName,
            new("Webhooks", "integer", "", "Webhooks indicates the number of webhooks registered in this configuration"),
            TableColumn.Age,
        ],
        (configuration, now) => [CellFormat.Name(configuration), (long)JsonRead.Count(configuration, "webhooks"), CellFormat.Age(configuration, now)]);
}
