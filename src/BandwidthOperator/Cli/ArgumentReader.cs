namespace BandwidthOperator.Cli;

/// <summary>
/// A small, strict reader of <c>command [options]</c>: options take a value (<c>-f FILE</c>,
/// <c>--node=NAME</c>) or are flags; an unknown option is an error that names it.
/// </summary>
internal sealed class ArgumentReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public ArgumentReader(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> valueOptions, IReadOnlySet<string> flagOptions, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(valueOptions);
        ArgumentNullException.ThrowIfNull(flagOptions);
        var of = command is null ? string.Empty : $" for {command} (see 'bandwidth-operator {command} --help')";
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string? inline = null;
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = a[(eq + 1)..];
                a = a[..eq];
            }

            if (valueOptions.TryGetValue(a, out var canonical))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"option {a} needs a value{of}"));
                if (value.StartsWith("--", StringComparison.Ordinal) && inline is null && (valueOptions.ContainsKey(value) || flagOptions.Contains(value)))
                {
                    throw new UsageException($"option {a} needs a value, not the option {value}{of}");
                }

                _values[canonical] = value;
            }
            else if (flagOptions.Contains(a))
            {
                if (inline is not null)
                {
                    throw new UsageException($"option {a} takes no value{of}");
                }

                _flags.Add(a);
            }
            else
            {
                throw new UsageException($"unknown option or argument '{args[i]}'{of}");
            }
        }
    }

    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public bool Flag(string name) => _flags.Contains(name);
}
