using System.Text.Json;
using System.Text.Json.Serialization;

namespace BandwidthOperator.Agent.Kube;

/// <summary>
/// Reads short strings once: the values that repeat across thousands of cached objects (apiVersion, kind,
/// namespace, network and node names, condition types, statuses and reasons) are kept as one string each
/// instead of one copy per object. Bounded: once <see cref="MaxEntries"/> distinct strings are pooled,
/// new ones are read as usual; strings longer than <see cref="MaxLength"/> are never pooled (messages,
/// uids, MACs repeat rarely).
/// </summary>
internal sealed class KubeStringPool : JsonConverter<string>
{
    public const int MaxLength = 48;
    public const int MaxEntries = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public KubeStringPool() => _bySpan = _pool.GetAlternateLookup<ReadOnlySpan<char>>();

    public override bool HandleNull => false;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pool.Count;
            }
        }
    }

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, found {reader.TokenType}");
        }

        return Pooled(ref reader);
    }

    /// <summary>Dictionary keys (labels, annotations, resource names) repeat as much as values.</summary>
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Pooled(ref reader)!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value);
    }

    private string? Pooled(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxLength * 3)
        {
            return reader.GetString();
        }

        Span<char> buffer = stackalloc char[MaxLength * 3];
        var written = reader.CopyString(buffer);
        if (written > MaxLength)
        {
            return new string(buffer[..written]);
        }

        var text = buffer[..written];
        lock (_gate)
        {
            if (_bySpan.TryGetValue(text, out var pooled))
            {
                return pooled;
            }

            var fresh = new string(text);
            if (_pool.Count < MaxEntries)
            {
                _pool.Add(fresh, fresh);
            }

            return fresh;
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
