using System.Text.Json;
using System.Text.Json.Serialization;

namespace BandwidthOperator.Agent.Kube;

/// <summary>A <see cref="DateTimeOffset"/> as RFC 3339 in UTC (<see cref="KubeJson.Format"/>).</summary>
internal sealed class KubeDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => KubeJson.Parse(reader.GetString());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(KubeJson.Format(value));
    }
}
