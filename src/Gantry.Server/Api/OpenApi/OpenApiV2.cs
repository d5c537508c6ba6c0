namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// <c>GET /openapi/v2</c> (and its old alias <c>GET /swagger-2.0.0.pb-v1</c>): an empty OpenAPI v2 document in
/// protobuf form, which is an empty body. kubectl 1.27 and 1.28 validate manifests against v2 only, and refuse
/// <c>create -f</c> / <c>apply -f</c> when it is missing; an empty document makes them find no schema for the
/// kind and leave strict field validation to the server (the request still says <c>fieldValidation=Strict</c>).
/// kubectl 1.29 and later read <see cref="OpenApiV3"/> instead. Send <see cref="ContentType"/> whatever the
/// Accept header says.
/// </summary>
public static class OpenApiV2
{
    /// <summary>
    /// The protobuf media type in the form Go's MIME parser accepts. The apiserver's canonical spelling has
    /// <c>spec.v2@v1.0</c>, which kubectl rejects with "mime: unexpected content after media subtype".
    /// </summary>
    public const string ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    public static byte[] Body { get; } = [];
}
