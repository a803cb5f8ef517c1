using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

/// <summary>
/// Reads a Kubernetes quantity given as a string (<c>"100M"</c>) or as a number (<c>1000000</c>, which the
/// schema's int-or-string allows) into its string form; writes it back as a string.
/// </summary>
public sealed class QuantityStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => reader.TryGetUInt64(out var u)
                ? u.ToString(CultureInfo.InvariantCulture)
                : reader.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"a quantity must be a string or a number, not {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
