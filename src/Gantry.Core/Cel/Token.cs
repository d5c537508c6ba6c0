namespace Gantry.Core.Cel;

/// <summary>A lexed token: its kind, its source text, where it starts, and for string and bytes literals the decoded value.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, object? Value = null);
