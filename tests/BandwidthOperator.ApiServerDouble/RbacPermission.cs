namespace BandwidthOperator.ApiServerDouble;

/// <summary>One permission an RBAC rule grants: API group (empty for core), resource (with <c>/subresource</c>), verb.</summary>
public sealed record RbacPermission(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)} {Resource} {Verb}";
}
