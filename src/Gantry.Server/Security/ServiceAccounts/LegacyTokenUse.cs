using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Security.ServiceAccounts;

/// <summary>
/// Marks the day a service account token Secret's token was last used, as kube's legacy token validator does: the label
/// <c>kubernetes.io/legacy-token-last-used</c> (<c>2006-01-02</c>, UTC) is set when it says neither today nor tomorrow,
/// so a Secret is written at most about once a day. The request that used the token does not wait for the write; a use
/// seen while the queue is full is dropped, as the next use records it again.
/// </summary>
public sealed class LegacyTokenUse(InProcessClient client, TimeProvider time, ILogger<LegacyTokenUse> logger) : BackgroundService
{
    public const string LastUsedLabel = "kubernetes.io/legacy-token-last-used";

    private const int QueueCapacity = 1024;

    private readonly Channel<SecretUse> _uses = Channel.CreateBounded<SecretUse>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>A use of the token of the Secret with this uid, whose label now says <paramref name="lastUsed"/>.</summary>
    public void Record(string ns, string name, string uid, string? lastUsed)
    {
        var today = time.GetUtcNow().UtcDateTime.Date;
        if (lastUsed != Day(today) && lastUsed != Day(today.AddDays(1)))
        {
            _uses.Writer.TryWrite(new SecretUse(ns, name, uid));
        }
    }

    /// <summary>How many uses wait to be marked.</summary>
    internal int Pending => _uses.Reader.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var use in _uses.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await LabelAsync(use, stoppingToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
                // The Secret is gone, or another has its name: there is nothing to mark.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Marking the last use of the token in secret {Namespace}/{Name} failed", use.Namespace, use.Name);
            }
        }
    }

    /// <summary>Sets the label to today on the Secret, if it is still the one used; a label already current changes nothing.</summary>
    internal Task LabelAsync(SecretUse use, CancellationToken cancellationToken) =>
        client.MutateJsonAsync<V1Secret>(use.Namespace, use.Name, secret =>
        {
            var metadata = secret["metadata"]!.AsObject();
            if (metadata["uid"]?.GetValue<string>() == use.Uid)
            {
                if (metadata["labels"] is not JsonObject labels)
                {
                    metadata["labels"] = labels = [];
                }

                labels[LastUsedLabel] = Day(time.GetUtcNow().UtcDateTime.Date);
            }

            return secret;
        }, cancellationToken);

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal sealed record SecretUse(string Namespace, string Name, string Uid);
}
