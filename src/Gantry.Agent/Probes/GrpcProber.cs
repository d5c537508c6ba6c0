using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Gantry.Agent.Node;

namespace Gantry.Agent.Probes;

/// <summary>
/// A grpc probe: one unary call of the standard health service
/// (<c>grpc.health.v1.Health/Check</c>) over cleartext HTTP/2 to the pod's IP, healthy when it
/// answers SERVING. Every problem is a failure with kubelet's message, as grpc_health_probe does.
/// The two protobuf messages are a string field and an enum field, encoded here by hand.
/// </summary>
public static class GrpcProber
{
    private const int Unimplemented = 12;
    private const int DeadlineExceeded = 4;

    private static readonly string UserAgent = "kube-probe/" + string.Join('.', NodeFacts.Version.TrimStart('v').Split('.').Take(2));

    private static readonly string[] CodeNames =
    [
        "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
        "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss",
        "Unauthenticated",
    ];

    private static readonly string[] ServingStatuses = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

    private static readonly HttpMessageInvoker Client = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false });

    public static async Task<ProbeOutcome> ProbeAsync(string host, int port, string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var address = ProbePorts.JoinHostPort(host, port);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{address}/grpc.health.v1.Health/Check")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Frame(service)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        HttpResponseMessage response;
        try
        {
            response = await Client.SendAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure($"timeout: failed to connect service \"{address}\" within {Go(timeout)}: context deadline exceeded");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? DialErrors.Describe(address, socket) : ex.Message;
            return Failure($"error: failed to connect service at \"{address}\": {reason}");
        }

        using (response)
        {
            try
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var code = CodeOfHttpStatus(response.StatusCode);
                    return RpcFailure(code, $"unexpected HTTP status code received from server: {(int)response.StatusCode} ({response.ReasonPhrase})", timeout);
                }

                var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
                var status = Header(response, "grpc-status");
                if (status is not null && status != "0")
                {
                    var code = int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 2;
                    return RpcFailure(code, Uri.UnescapeDataString(Header(response, "grpc-message") ?? ""), timeout);
                }

                var serving = ServingStatus(body);
                return serving == 1
                    ? new ProbeOutcome(ProbeResult.Success, "service healthy")
                    : Failure($"service unhealthy (responded with \"{(serving < ServingStatuses.Length ? ServingStatuses[serving] : serving.ToString(CultureInfo.InvariantCulture))}\")");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Failure($"timeout: health rpc did not complete within {Go(timeout)}");
            }
            catch (HttpRequestException ex)
            {
                return Failure($"error: health rpc probe failed: rpc error: code = Unavailable desc = {ex.Message}");
            }
        }
    }

    private static ProbeOutcome Failure(string message) => new(ProbeResult.Failure, message);

    private static ProbeOutcome RpcFailure(int code, string message, TimeSpan timeout) => code switch
    {
        Unimplemented => Failure($"error: this server does not implement the grpc health protocol (grpc.health.v1.Health): {message}"),
        DeadlineExceeded => Failure($"timeout: health rpc did not complete within {Go(timeout)}"),
        _ => Failure($"error: health rpc probe failed: rpc error: code = {(code < CodeNames.Length ? CodeNames[code] : "Code(" + code + ")")} desc = {message}"),
    };

    /// <summary>A length-prefixed HealthCheckRequest: field 1, the service name, omitted when empty.</summary>
    private static byte[] Frame(string service)
    {
        var name = Encoding.UTF8.GetBytes(service);
        var message = new List<byte>();
        if (name.Length > 0)
        {
            message.Add(0x0A);
            for (var length = (uint)name.Length; ; length >>= 7)
            {
                message.Add((byte)(length < 0x80 ? length : (length & 0x7F) | 0x80));
                if (length < 0x80)
                {
                    break;
                }
            }

            message.AddRange(name);
        }

        var frame = new byte[5 + message.Count];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Count);
        message.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Field 1 (the serving status) of the first HealthCheckResponse in the body; 0 (UNKNOWN) when absent.</summary>
    private static int ServingStatus(byte[] body)
    {
        if (body.Length < 5)
        {
            return 0;
        }

        var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)), (uint)(body.Length - 5));
        var message = body.AsSpan(5, length);
        var status = 0;
        var i = 0;
        while (i < message.Length)
        {
            var tag = ReadVarint(message, ref i);
            switch (tag & 7)
            {
                case 0:
                    var value = ReadVarint(message, ref i);
                    if (tag >> 3 == 1)
                    {
                        status = (int)value;
                    }

                    break;
                case 1:
                    i += 8;
                    break;
                case 2:
                    i += (int)ReadVarint(message, ref i);
                    break;
                case 5:
                    i += 4;
                    break;
                default:
                    return status;
            }
        }

        return status;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int index)
    {
        ulong value = 0;
        for (var shift = 0; index < bytes.Length && shift < 64; shift += 7)
        {
            var b = bytes[index++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return value;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailing) ? trailing.FirstOrDefault()
        : response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : null;

    /// <summary>The gRPC code grpc-go gives a non-200 HTTP response.</summary>
    private static int CodeOfHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => 13,
        HttpStatusCode.Unauthorized => 16,
        HttpStatusCode.Forbidden => 7,
        HttpStatusCode.NotFound => Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => 14,
        _ => 2,
    };

    /// <summary>A duration as Go's %v prints the whole seconds a probe timeout has ("1s").</summary>
    private static string Go(TimeSpan duration) => duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
