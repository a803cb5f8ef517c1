using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 3b, MAC claims: one MAC once per bridge. The claim whose class the kernel already carries (per its
/// status) comes first, then age; later claims are refused (<c>DuplicateMac</c>). Pure.
/// </summary>
internal static class MacClaimStage
{
    public static MacClaims Resolve(IReadOnlyList<InterfaceSettings> members, DirectionClaims inbound, string bridge, string node)
    {
        var owner = new Dictionary<MacAddress, InterfaceSettings>(members.Count);
        List<InterfaceOutcome>? refused = null;
        bool Incumbent(InterfaceSettings s) => s.StatusClassId is { } held && inbound.ClassOfMac.TryGetValue(s.Mac, out var k) && k == held;
        void Claim(InterfaceSettings s)
        {
            if (owner.TryGetValue(s.Mac, out var first))
            {
                refused ??= [];
                refused.Add(MemberStage.Refusal(s, ConditionReasons.DuplicateMac, $"{s.Ref}: spec.macAddress {s.Mac} is already claimed on bridge {bridge} on node {node} by {first.Ref}") with { Bridge = bridge });
                return;
            }

            owner[s.Mac] = s;
        }

        var incumbents = new bool[members.Count];
        for (var i = 0; i < members.Count; i++)
        {
            if (incumbents[i] = Incumbent(members[i]))
            {
                Claim(members[i]);
            }
        }

        for (var i = 0; i < members.Count; i++)
        {
            if (!incumbents[i])
            {
                Claim(members[i]);
            }
        }

        List<InterfaceSettings> accepted;
        if (refused is null)
        {
            accepted = [.. members];
        }
        else
        {
            accepted = new List<InterfaceSettings>(owner.Count);
            foreach (var m in members)
            {
                if (owner.TryGetValue(m.Mac, out var o) && ReferenceEquals(o, m))
                {
                    accepted.Add(m);
                }
            }
        }

        return new MacClaims(accepted, owner, refused ?? (IReadOnlyList<InterfaceOutcome>)[]);
    }
}
