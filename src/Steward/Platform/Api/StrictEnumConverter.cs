using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steward.Platform.Api;

/// <summary>
/// Enums in JSON are their members' names, nothing else: <c>"Complaint"</c> (any letter case) is read, while a number
/// (<c>99</c>, or even a defined <c>2</c>: numbers are declaration order, not contract), a numeric string, a
/// comma-separated list or an unknown name is refused with <see cref="InvalidEnumValueException"/>, which the exception
/// handler answers as a 400 naming the field and the allowed values. Written as the member's name. Enum dictionary keys
/// follow the same rules. Nullable enums are handled by the serializer around this converter (null stays null).
/// </summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;
}

/// <inheritdoc cref="StrictEnumConverterFactory"/>
public sealed class StrictEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly FrozenDictionary<string, T> ByName =
        Enum.GetValues<T>().ToFrozenDictionary(v => v.ToString(), StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<T, string> Names = Enum.GetValues<T>().ToFrozenDictionary(v => v, v => v.ToString());

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value) ? value : throw Refused(ref reader);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value));

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ByName.TryGetValue(reader.GetString()!, out var value) ? value : throw Refused(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(Name(value));

    // Only a value the code made itself can be undefined here; it is written as its number rather than lost.
    private static string Name(T value) => Names.TryGetValue(value, out var name) ? name : value.ToString();

    private static InvalidEnumValueException Refused(ref Utf8JsonReader reader)
    {
        var raw = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
            ? reader.GetString()
            : Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());
        return new InvalidEnumValueException(typeof(T), raw, Enum.GetNames<T>());
    }
}

/// <summary>
/// A JSON enum value that is not one of the enum's names. A <see cref="JsonException"/>, so the serializer fills in
/// <see cref="JsonException.Path"/> (the field) before it reaches the exception handler.
/// </summary>
public sealed class InvalidEnumValueException(Type enumType, string? value, IReadOnlyList<string> allowed)
    : JsonException($"'{value}' is not a {enumType.Name}; allowed: {string.Join(", ", allowed)}.")
{
    public Type EnumType { get; } = enumType;

    public string? Value { get; } = value;

    public IReadOnlyList<string> Allowed { get; } = allowed;
}
