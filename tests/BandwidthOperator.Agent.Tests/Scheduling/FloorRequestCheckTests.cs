using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Agent.Tests.Scheduling;

public sealed class FloorRequestCheckTests
{
    private const string Blue = "floor.bandwidthoperator.io/tenant-blue";
    private const string BlueOut = "outbound-floor.bandwidthoperator.io/tenant-blue";

    private static Dictionary<string, BitRate> Rates(params (string Key, string Value)[] items) => items.ToDictionary(i => i.Key, i => BitRate.Parse(i.Value));

    [Fact]
    public void A_vmi_that_requests_at_least_its_floors_passes()
    {
        FloorRequestCheck.Problem("VirtualMachineInstance", "vm-a", Rates((Blue, "1G")), Rates((Blue, "1G"))).ShouldBeNull();
        FloorRequestCheck.Problem("VirtualMachineInstance", "vm-a", Rates((Blue, "1G")), Rates((Blue, "2G"))).ShouldBeNull();
    }

    [Fact]
    public void A_vmi_without_the_request_is_told_the_yaml_to_add()
    {
        FloorRequestCheck.Problem("VirtualMachineInstance", "vm-a", Rates((Blue, "1G"), (BlueOut, "200M")), Rates((Blue, "500M"))).ShouldBe(
            "the floor is scheduled as an extended resource and VirtualMachineInstance vm-a does not request it: it needs 1G of floor.bandwidthoperator.io/tenant-blue (it requests 500M), 200M of outbound-floor.bandwidthoperator.io/tenant-blue (it requests 0). "
            + "Add to the VirtualMachineInstance (or its VirtualMachine's template), then restart it: "
            + "spec: {domain: {resources: {limits: {floor.bandwidthoperator.io/tenant-blue: 1G, outbound-floor.bandwidthoperator.io/tenant-blue: 200M}}}}");
    }

    [Fact]
    public void A_pod_is_told_to_add_a_container_limit()
    {
        FloorRequestCheck.Problem("Pod", "web-0", Rates((Blue, "300M")), Rates()).ShouldBe(
            "the floor is scheduled as an extended resource and Pod web-0 does not request it: it needs 300M of floor.bandwidthoperator.io/tenant-blue (it requests 0). "
            + "Add to one of the pod's containers (a pod's resources cannot change while it runs: recreate it): resources: {limits: {floor.bandwidthoperator.io/tenant-blue: 300M}}");
    }

    [Fact]
    public void What_a_pod_requests_is_summed_over_containers_ignoring_other_resources()
    {
        var requested = FloorRequestCheck.Requested([
            (new Dictionary<string, string> { [Blue] = "1G", ["cpu"] = "1" }, new Dictionary<string, string> { [Blue] = "1G" }),
            (null, new Dictionary<string, string> { [Blue] = "500M", ["example.com/gpu"] = "1" }),
        ]);

        requested.ShouldBe(Rates((Blue, "1500M")));
    }
}
