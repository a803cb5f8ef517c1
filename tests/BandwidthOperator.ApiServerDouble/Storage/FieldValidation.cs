namespace BandwidthOperator.ApiServerDouble.Storage;

/// <summary>The request's <c>fieldValidation</c> (Strict refuses unknown fields) and the fields pruned, for Warning headers.</summary>
internal sealed class FieldValidation(bool strict)
{
    public bool Strict { get; } = strict;

    public List<string> Pruned { get; } = [];
}
