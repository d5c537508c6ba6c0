namespace Gantry.Server.Api.Protobuf;

/// <summary>A message: its fields in Go struct order, which is the order of its JSON form.</summary>
internal sealed class MessageSchema(string name, IReadOnlyList<FieldSchema> fields)
{
    private readonly Dictionary<int, FieldSchema> byNumber = fields.ToDictionary(f => f.Number);

    public string Name => name;

    public IReadOnlyList<FieldSchema> Fields => fields;

    public FieldSchema? Find(int number) => byNumber.GetValueOrDefault(number);
}
