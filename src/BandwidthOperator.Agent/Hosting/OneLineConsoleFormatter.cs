using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>
/// The agent's console format: every entry is one line. An exception adds its type and message (and the
/// inner exceptions' messages) to that line — a transient API or kernel error reads as "what failed,
/// attempt, next try in, why" — and its stack trace only when <see cref="OneLineFormatterOptions.StackTraces"/>
/// (log level Debug or Trace). Durations print as <c>1.6s</c>/<c>2m</c>, not <c>00:00:01.6000000</c>.
/// <c>json</c>: one object per line with <c>time</c>, <c>level</c>, <c>category</c>, <c>eventId</c>,
/// <c>message</c>, the message's structured fields, and <c>error</c> (and <c>stackTrace</c> at Debug).
/// </summary>
public sealed partial class OneLineConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "bandwidth-operator";
    private readonly OneLineFormatterOptions _options;
    private readonly TimeProvider _time;

    public OneLineConsoleFormatter(IOptionsMonitor<OneLineFormatterOptions> options)
        : this(options?.CurrentValue ?? throw new ArgumentNullException(nameof(options)), TimeProvider.System)
    {
    }

    public OneLineConsoleFormatter(OneLineFormatterOptions options, TimeProvider time)
        : base(FormatterName)
    {
        _options = options;
        _time = time;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var fields = logEntry.State as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        var template = fields.FirstOrDefault(f => f.Key == "{OriginalFormat}").Value as string;
        var message = template is null ? logEntry.Formatter(logEntry.State, logEntry.Exception) : Render(template, fields);
        message = OneLine(message);
        var exception = logEntry.Exception;
        var time = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        if (_options.Format == AgentLogFormat.Json)
        {
            WriteJson(textWriter, time, logEntry, message, fields, exception);
            return;
        }

        var line = new StringBuilder()
            .Append(time).Append(' ').Append(Level(logEntry.LogLevel)).Append(": ")
            .Append(logEntry.Category).Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ")
            .Append(message);
        if (exception is not null)
        {
            line.Append(" — ").Append(Summary(exception));
        }

        textWriter.Write(line.Append('\n').ToString());
        if (exception is not null && _options.StackTraces)
        {
            textWriter.Write(exception.ToString());
            textWriter.Write('\n');
        }
    }

    /// <summary>An exception on one line: type and message, then each inner exception's message that adds something.</summary>
    public static string Summary(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception is k8s.Autorest.HttpOperationException { Response: { } response } ? ApiMessage(response) : exception.Message;
        var text = new StringBuilder().Append(exception.GetType().Name).Append(": ").Append(OneLine(message));
        var seen = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!seen.Contains(inner.Message, StringComparison.Ordinal))
            {
                text.Append(" ← ").Append(inner.GetType().Name).Append(": ").Append(OneLine(inner.Message));
                seen += inner.Message;
            }
        }

        return text.ToString();
    }

    /// <summary>An API error as "403 Forbidden: the Status's message", not the whole response body.</summary>
    private static string ApiMessage(k8s.Autorest.HttpResponseMessageWrapper response)
    {
        var status = $"{(int)response.StatusCode} {response.StatusCode}";
        try
        {
            if (response.Content is { Length: > 0 } content && System.Text.Json.Nodes.JsonNode.Parse(content)?["message"]?.GetValue<string>() is { Length: > 0 } apiMessage)
            {
                return $"{status}: {apiMessage}";
            }
        }
        catch (JsonException)
        {
        }

        return status;
    }

    /// <summary>A duration as a person reads it: <c>200ms</c>, <c>1.6s</c>, <c>2m</c>, <c>1h30m</c>.</summary>
    public static string Duration(TimeSpan value) => value switch
    {
        { TotalSeconds: < 1 } => $"{Math.Round(value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms",
        { TotalMinutes: < 1 } => $"{Math.Round(value.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture)}s",
        { TotalHours: < 1 } => value.Seconds == 0 ? $"{value.Minutes}m" : $"{value.Minutes}m{value.Seconds}s",
        _ => value.Minutes == 0 ? $"{(int)value.TotalHours}h" : $"{(int)value.TotalHours}h{value.Minutes}m",
    };

    private static string Render(string template, IReadOnlyList<KeyValuePair<string, object?>> fields) =>
        Placeholder().Replace(template, m =>
        {
            var name = m.Groups["name"].Value;
            var field = fields.FirstOrDefault(f => f.Key == name);
            return field.Key is null ? m.Value : Value(field.Value);
        });

    private static string Value(object? value) => value switch
    {
        null => "(null)",
        TimeSpan t => Duration(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string OneLine(string text) => text.Contains('\n', StringComparison.Ordinal)
        ? string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        : text;

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private void WriteJson<TState>(TextWriter textWriter, string time, in LogEntry<TState> logEntry, string message,
        IReadOnlyList<KeyValuePair<string, object?>> fields, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", time);
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("eventId", logEntry.EventId.Id);
            json.WriteString("message", message);
            foreach (var (key, value) in fields)
            {
                if (key == "{OriginalFormat}" || key is "time" or "level" or "category" or "eventId" or "message" or "error" or "stackTrace")
                {
                    continue;
                }

                var name = char.ToLowerInvariant(key[0]) + key[1..];
                switch (value)
                {
                    case null:
                        json.WriteNull(name);
                        break;
                    case bool b:
                        json.WriteBoolean(name, b);
                        break;
                    case int or long or short or ushort or uint or byte:
                        json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case ulong u:
                        json.WriteNumber(name, u);
                        break;
                    case double or float or decimal:
                        json.WriteNumber(name, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                    case TimeSpan t:
                        json.WriteNumber(name + "Seconds", t.TotalSeconds);
                        break;
                    default:
                        json.WriteString(name, Value(value));
                        break;
                }
            }

            if (exception is not null)
            {
                json.WriteString("error", Summary(exception));
                if (_options.StackTraces)
                {
                    json.WriteString("stackTrace", exception.ToString());
                }
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.ToArray()));
        textWriter.Write('\n');
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9_@]+)(?::[^}]*)?\}")]
    private static partial Regex Placeholder();
}
