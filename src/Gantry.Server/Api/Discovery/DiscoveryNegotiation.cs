namespace Gantry.Server.Api.Discovery;

/// <summary>Chooses the discovery format for <c>/api</c> and <c>/apis</c> from the request's Accept header.</summary>
public static class DiscoveryNegotiation
{
    public const string JsonContentType = "application/json";

    public const string AggregatedV2ContentType =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public const string AggregatedV2Beta1ContentType =
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private const string DiscoveryGroup = "apidiscovery.k8s.io";
    private const string DiscoveryKind = "APIGroupDiscoveryList";

    /// <summary>
    /// The first format the client accepts, in its order of preference. Clients that name no format
    /// Gantry serves (no header, protobuf only) get the legacy JSON documents, which every client reads.
    /// </summary>
    public static DiscoveryFormat Choose(string? accept)
    {
        foreach (var range in MediaRange.ParseAccept(accept))
        {
            if (!range.AcceptsJson)
            {
                continue;
            }

            var kind = range.Parameter("as");
            if (kind is null)
            {
                return DiscoveryFormat.Legacy;
            }

            if (kind != DiscoveryKind || range.Parameter("g") != DiscoveryGroup)
            {
                continue;
            }

            switch (range.Parameter("v"))
            {
                case "v2":
                    return DiscoveryFormat.AggregatedV2;
                case "v2beta1":
                    return DiscoveryFormat.AggregatedV2Beta1;
            }
        }

        return DiscoveryFormat.Legacy;
    }

    /// <summary>The exact Content-Type an answer in <paramref name="format"/> must carry.</summary>
    public static string ContentTypeOf(DiscoveryFormat format) => format switch
    {
        DiscoveryFormat.AggregatedV2 => AggregatedV2ContentType,
        DiscoveryFormat.AggregatedV2Beta1 => AggregatedV2Beta1ContentType,
        _ => JsonContentType,
    };
}
