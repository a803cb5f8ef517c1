namespace BandwidthOperator.Api.Validation;

/// <summary>One thing wrong with a resource: the field (<c>spec.inbound.floor</c>) and what is wrong with it.</summary>
public sealed record ValidationIssue(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
