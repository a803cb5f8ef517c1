using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using k8s.Models;

namespace BandwidthOperator.Agent.Status;

/// <summary>
/// Turns an interface's outcome into its <c>status</c>: classId, outboundClassId, observedGeneration and the Admitted and
/// Ready conditions. A condition whose status did not change keeps its lastTransitionTime, so writing
/// the same outcome twice yields an equal status (and no API write).
/// </summary>
public static class InterfaceStatusBuilder
{
    public static InterfaceBandwidthStatus Build(InterfaceOutcome outcome, InterfaceBandwidthStatus? previous, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new InterfaceBandwidthStatus
        {
            ObservedGeneration = outcome.Generation,
            ClassId = outcome.ClassId,
            OutboundClassId = outcome.OutboundClassId,
            Conditions =
            [
                Condition(ConditionReasons.Admitted, outcome.Admitted, outcome.Generation, previous?.Conditions, now),
                Condition(ConditionReasons.Ready, outcome.Ready, outcome.Generation, previous?.Conditions, now),
            ],
        };
    }

    public static V1Condition Condition(string type, ConditionOutcome value, long generation, IEnumerable<V1Condition>? previous, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(value);
        var status = value.Status ? "True" : "False";
        var old = previous?.FirstOrDefault(c => c.Type == type);
        return new V1Condition
        {
            Type = type,
            Status = status,
            Reason = value.Reason,
            Message = value.Message,
            ObservedGeneration = generation,
            LastTransitionTime = old is not null && old.Status == status ? old.LastTransitionTime : now,
        };
    }

    /// <summary>Whether two statuses say the same (ignoring transition times, which follow from the rest).</summary>
    public static bool SameAs(InterfaceBandwidthStatus? a, InterfaceBandwidthStatus? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a.ObservedGeneration != b.ObservedGeneration || a.ClassId != b.ClassId || a.OutboundClassId != b.OutboundClassId
            || a.NodeName != b.NodeName || a.MacAddress != b.MacAddress || a.Device != b.Device)
        {
            return false;
        }

        var ca = a.Conditions ?? [];
        var cb = b.Conditions ?? [];
        return ca.Count == cb.Count && ca.All(x => cb.Any(y =>
            y.Type == x.Type && y.Status == x.Status && y.Reason == x.Reason && y.Message == x.Message && y.ObservedGeneration == x.ObservedGeneration));
    }
}
