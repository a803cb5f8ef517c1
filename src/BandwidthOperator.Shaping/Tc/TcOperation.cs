namespace BandwidthOperator.Shaping.Tc;

/// <summary>One step of a plan: add, change (same identity, new parameters) or delete a tc object.</summary>
public sealed record TcOperation(TcVerb Verb, TcObject Target)
{
    public override string ToString() => TcCommand.Render(this);
}
