namespace BandwidthOperator.ApiServerDouble.Selection;

/// <summary>A parsed <c>fieldSelector</c>: <c>f=v</c>, <c>f==v</c>, <c>f!=v</c> joined by commas, over the fields a resource supports.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms = [];

    public static FieldSelector Everything { get; } = new();

    public bool IsEmpty => _terms.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> fields) =>
        _terms.TrueForAll(t => (fields.TryGetValue(t.Field, out var v) ? v : string.Empty) == t.Value == t.Equal);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="NotSupportedException"/> (message as the API server's) for a field <paramref name="type"/> cannot select on.</summary>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            (string Field, bool Equal, string Value) term;
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var doubleEqual = part.IndexOf("==", StringComparison.Ordinal);
            var equal = part.IndexOf('=', StringComparison.Ordinal);
            if (notEqual > 0)
            {
                term = (part[..notEqual], false, part[(notEqual + 2)..]);
            }
            else if (doubleEqual > 0)
            {
                term = (part[..doubleEqual], true, part[(doubleEqual + 2)..]);
            }
            else if (equal > 0)
            {
                term = (part[..equal], true, part[(equal + 1)..]);
            }
            else
            {
                throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
            }

            if (term.Field is not ("metadata.name" or "metadata.namespace") && !type.SelectableFields.Contains(term.Field))
            {
                throw new NotSupportedException($"field label not supported: {term.Field}");
            }

            selector._terms.Add(term);
        }

        return selector;
    }
}
