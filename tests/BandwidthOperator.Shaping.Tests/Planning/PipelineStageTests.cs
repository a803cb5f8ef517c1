using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Planning.Pipeline;
using BandwidthOperator.Shaping.Trees;
using k8s.Models;

namespace BandwidthOperator.Shaping.Tests.Planning;

/// <summary>The planner's stages one at a time (docs/architecture.md, "The planner pipeline"): each takes results and returns one, no kernel.</summary>
public class PipelineStageTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static InterfaceSettings Member(string name, string mac, string? floor = "1G", int minutes = 0, int? classId = null, int order = 0) =>
        ResourceValidator.Validate(
            new InterfaceBandwidth
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "t", CreationTimestamp = T0.AddMinutes(minutes), Generation = 1 },
                Spec = new InterfaceBandwidthSpec { Network = "net", NodeName = "n", MacAddress = mac, Inbound = floor is null ? null : new InterfaceInbound { Floor = floor } },
                Status = classId is null ? null : new InterfaceBandwidthStatus { ClassId = classId },
            },
            order).Settings!;

    private static NetworkSettings Network(string average = "10G") =>
        new("net", "br0", BitRate.Parse(average), null, null, null, 1);

    private static DirectionClaims Kernel(params (string Mac, ushort Id, string Rate)[] classes) => new(
        classes.ToDictionary(c => MacAddress.Parse(c.Mac), c => c.Id),
        classes.ToDictionary(c => c.Id, c => BitRate.Parse(c.Rate)),
        classes.ToDictionary(c => c.Id, c => BitRate.Parse("10G")));

    [Fact]
    public void Mac_claims_the_incumbent_keeps_its_mac_against_an_older_newcomer()
    {
        var older = Member("older", "52:54:00:00:00:01", minutes: 0);
        var incumbent = Member("incumbent", "52:54:00:00:00:01", minutes: 5, classId: 7);
        var other = Member("other", "52:54:00:00:00:02", minutes: 1);

        var claims = MacClaimStage.Resolve([older, other, incumbent], Kernel(("52:54:00:00:00:01", 7, "1G")), "br0", "n");

        claims.Accepted.ShouldBe([other, incumbent]);
        claims.Refused.Single().Ref.Name.ShouldBe("older");
        claims.Refused.Single().Admitted.Reason.ShouldBe(ConditionReasons.DuplicateMac);
        claims.Refused.Single().Bridge.ShouldBe("br0");
    }

    [Fact]
    public void Class_ids_come_from_the_status_then_from_the_kernel_only_for_interfaces_that_can_be_shaped()
    {
        var spec = new DirectionSpec(Direction.Inbound, Network());
        var byStatus = Member("by-status", "52:54:00:00:00:01", classId: 9);
        var byKernel = Member("by-kernel", "52:54:00:00:00:02");
        var unshaped = Member("unshaped", "52:54:00:00:00:03");
        var kernel = Kernel(("52:54:00:00:00:01", 5, "1G"), ("52:54:00:00:00:02", 9, "1G"), ("52:54:00:00:00:03", 11, "1G"));

        var held = ClassIdStage.Hold(spec, [byStatus, byKernel, unshaped], [true, true, false], [], kernel);

        // by-kernel's kernel class 9 is the status ID of by-status: it has none yet.
        held.ClassOf.ShouldBe([(ushort)9, (ushort)0, (ushort)0]);
        held.Taken.ShouldBe([(ushort)9], ignoreOrder: true);
        held.KeptSum.ShouldBe(BitRate.Zero);
    }

    [Fact]
    public void Admission_grants_in_age_order_and_counts_what_the_kernel_applies_as_incumbent()
    {
        var spec = new DirectionSpec(Direction.Inbound, Network("3G"));
        var incumbent = Member("incumbent", "52:54:00:00:00:01", floor: "2G", minutes: 9, classId: 4);
        var newcomer = Member("newcomer", "52:54:00:00:00:02", floor: "2G", minutes: 0);
        var kernel = Kernel(("52:54:00:00:00:01", 4, "2G"));
        var held = ClassIdStage.Hold(spec, [newcomer, incumbent], [true, true], [], kernel);

        var admission = AdmissionStage.Decide(spec, [newcomer, incumbent], [true, true], held, kernel, "n");

        admission.Decisions[1]!.FullyAdmitted.ShouldBeTrue();
        admission.Decisions[0]!.FullyAdmitted.ShouldBeFalse();
        admission.Decisions[0]!.Message.ShouldBe("floor 2G does not fit: 1G of net's 3G inbound average is left on n");

        var plan = ClassStage.Build(spec, [newcomer, incumbent], [true, true], held, admission, "bwin2", NodePlanner.LeafOptions("pfifo"), "n");
        plan.ClassOf.ShouldBe([(ushort)0, (ushort)4]);
        plan.InTree.ShouldBe([false, true]);
        plan.Refused[0]!.Reason.ShouldBe(ConditionReasons.FloorOvercommitted);
        plan.FloorSum.ShouldBe(BitRate.Parse("2G"));
    }
}
