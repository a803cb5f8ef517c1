using BandwidthOperator.Agent.Status;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;
using Microsoft.Extensions.Time.Testing;

namespace BandwidthOperator.Agent.Tests.Status;

/// <summary>The agent writes an InterfaceBandwidth's status only when <see cref="InterfaceStatusBuilder.SameAs"/> says it changed.</summary>
public sealed class InterfaceStatusDiffTests
{
    private static InterfaceOutcome Outcome(ushort? classId = 3, bool admitted = true, string admittedReason = ConditionReasons.FloorAdmitted,
        bool ready = true, string readyReason = ConditionReasons.Applied, long generation = 1, string message = "") =>
        new(new ObjectRef(InterfaceBandwidth.KubeKind, "tenant-a", "vm-a-net1"), "tenant-net", "br0", classId, BitRate.Parse("100M"), "veth0",
            new ConditionOutcome(admitted, admittedReason, message), new ConditionOutcome(ready, readyReason, string.Empty), generation);

    [Fact]
    public void The_same_outcome_an_hour_later_is_no_change()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var first = InterfaceStatusBuilder.Build(Outcome(), null, time.GetUtcNow().UtcDateTime);
        time.Advance(TimeSpan.FromHours(1));
        var second = InterfaceStatusBuilder.Build(Outcome(), first, time.GetUtcNow().UtcDateTime);

        InterfaceStatusBuilder.SameAs(first, second).ShouldBeTrue();
        second.Conditions!.Select(c => c.LastTransitionTime).ShouldAllBe(t => t == new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void A_condition_that_flips_changes_the_status_and_its_transition_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var first = InterfaceStatusBuilder.Build(Outcome(), null, time.GetUtcNow().UtcDateTime);
        time.Advance(TimeSpan.FromMinutes(5));
        var refused = InterfaceStatusBuilder.Build(
            Outcome(admitted: false, admittedReason: ConditionReasons.FloorOvercommitted, message: "does not fit"), first, time.GetUtcNow().UtcDateTime);

        InterfaceStatusBuilder.SameAs(first, refused).ShouldBeFalse();
        var admitted = refused.Conditions!.Single(c => c.Type == ConditionReasons.Admitted);
        admitted.Status.ShouldBe("False");
        admitted.LastTransitionTime.ShouldBe(new DateTime(2026, 11, 25, 12, 5, 0, DateTimeKind.Utc));
        refused.Conditions!.Single(c => c.Type == ConditionReasons.Ready).LastTransitionTime.ShouldBe(new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("classId")]
    [InlineData("generation")]
    [InlineData("message")]
    [InlineData("reason")]
    public void Any_field_but_the_transition_time_is_a_change(string field)
    {
        var now = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
        var before = InterfaceStatusBuilder.Build(Outcome(), null, now);
        var after = field switch
        {
            "classId" => InterfaceStatusBuilder.Build(Outcome(classId: 4), before, now),
            "generation" => InterfaceStatusBuilder.Build(Outcome(generation: 2), before, now),
            "message" => InterfaceStatusBuilder.Build(Outcome(message: "other"), before, now),
            _ => InterfaceStatusBuilder.Build(Outcome(ready: true, readyReason: "Other"), before, now),
        };

        InterfaceStatusBuilder.SameAs(before, after).ShouldBeFalse();
    }

    [Fact]
    public void A_missing_status_differs_from_any_status()
    {
        var status = InterfaceStatusBuilder.Build(Outcome(), null, DateTime.UnixEpoch);
        InterfaceStatusBuilder.SameAs(null, status).ShouldBeFalse();
        InterfaceStatusBuilder.SameAs(null, null).ShouldBeTrue();
    }
}
