using System.Text.Json;
using Gantry.Core.Resources;

namespace Gantry.Server.Controllers;

/// <summary>One object as the garbage collector sees it: identity, owners, and whether it is being deleted.</summary>
public sealed record OwnerGraphNode(
    ResourceType Type,
    string? Namespace,
    string Name,
    string Uid,
    IReadOnlyList<OwnerGraphReference> Owners,
    bool Deleting,
    IReadOnlyList<string> Finalizers)
{
    /// <summary>
    /// Reads the metadata of a stored object; null when it has no uid (never the case for stored objects). The collector
    /// reads every change of every object, so it walks the bytes for the few members it needs and skips the rest (the
    /// spec, the status and the managed fields) without building a document.
    /// </summary>
    public static OwnerGraphNode? Parse(ResourceType type, byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
            {
                return FromMetadata(type, ref reader);
            }

            reader.Skip();
        }

        return null;
    }

    private static OwnerGraphNode? FromMetadata(ResourceType type, ref Utf8JsonReader reader)
    {
        string? name = null, ns = null, uid = null;
        var deleting = false;
        List<OwnerGraphReference> owners = [];
        List<string> finalizers = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MemberAt(ref reader);
            reader.Read();
            switch (member)
            {
                case Member.Name:
                    name = StringOrNull(ref reader);
                    break;
                case Member.Namespace:
                    ns = StringOrNull(ref reader);
                    break;
                case Member.Uid:
                    uid = StringOrNull(ref reader) ?? "";
                    break;
                case Member.DeletionTimestamp:
                    deleting = reader.TokenType != JsonTokenType.Null;
                    reader.Skip();
                    break;
                case Member.Finalizers when reader.TokenType == JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        finalizers.Add(StringOrNull(ref reader) ?? "");
                    }

                    break;
                case Member.OwnerReferences when reader.TokenType == JsonTokenType.StartArray:
                    using (var references = JsonDocument.ParseValue(ref reader))
                    {
                        foreach (var reference in references.RootElement.EnumerateArray())
                        {
                            owners.Add(new OwnerGraphReference(
                                Text(reference, "apiVersion"), Text(reference, "kind"), Text(reference, "name"), Text(reference, "uid"),
                                Flag(reference, "controller"), Flag(reference, "blockOwnerDeletion")));
                        }
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return uid is null ? null : new OwnerGraphNode(type, ns, name ?? "", uid, owners, deleting, finalizers);
    }

    private enum Member
    {
        Other,
        Name,
        Namespace,
        Uid,
        DeletionTimestamp,
        Finalizers,
        OwnerReferences,
    }

    private static Member MemberAt(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("name"u8) ? Member.Name
        : reader.ValueTextEquals("namespace"u8) ? Member.Namespace
        : reader.ValueTextEquals("uid"u8) ? Member.Uid
        : reader.ValueTextEquals("deletionTimestamp"u8) ? Member.DeletionTimestamp
        : reader.ValueTextEquals("finalizers"u8) ? Member.Finalizers
        : reader.ValueTextEquals("ownerReferences"u8) ? Member.OwnerReferences
        : Member.Other;

    /// <summary>The string at the reader, or null for any other value (which is skipped).</summary>
    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
