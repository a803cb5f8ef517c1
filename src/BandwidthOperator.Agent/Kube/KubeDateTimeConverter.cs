using System.Text.Json;
using System.Text.Json.Serialization;

namespace BandwidthOperator.Agent.Kube;

/// <summary>A <see cref="DateTime"/> as RFC 3339 in UTC (<see cref="KubeJson.Format"/>); an unspecified kind is taken as UTC.</summary>
internal sealed class KubeDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => KubeJson.Parse(reader.GetString()).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(KubeJson.Format(value.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(value, TimeSpan.Zero) : new DateTimeOffset(value)));
    }
}
