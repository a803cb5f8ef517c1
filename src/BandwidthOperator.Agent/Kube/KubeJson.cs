using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BandwidthOperator.Agent.Kube;

/// <summary>
/// The agent's JSON settings for Kubernetes objects, as KubernetesClient's <c>KubernetesJson</c> has them
/// (camelCase, nulls left out, enums as strings, times as RFC 3339) but resolved only for the
/// types the agent really reads and writes: <c>KubernetesJson</c> resolves through KubernetesClient's
/// source-generated context of every model type, and its first use touches megabytes of that code for the
/// process's lifetime (docs/architecture.md, "Memory"). The types the agent reads and writes are
/// source-generated (<see cref="AgentJsonContext"/>).
/// </summary>
public static class KubeJson
{
    /// <summary>Short strings read once for all cached objects (<see cref="KubeStringPool"/>).</summary>
    internal static KubeStringPool Strings { get; } = new();

    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        // The agent's types from the source-generated AgentJsonContext (no reflection, no emitted
        // accessors); anything else by reflection, as a fall-back only (KubeJsonTests lists what the context must hold).
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(AgentJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new KubeDateTimeConverter());
        options.Converters.Add(new KubeDateTimeOffsetConverter());
        options.Converters.Add(Strings);
        options.MakeReadOnly();
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(JsonElement element) => element.Deserialize<T>(Options);

    /// <summary>RFC 3339 as the API server writes it: whole seconds without a fraction, otherwise microseconds.</summary>
    internal static string Format(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);
    }

    internal static DateTimeOffset Parse(string? text) =>
        DateTimeOffset.Parse(text ?? throw new JsonException("a null time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
