using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using k8s.Models;

namespace BandwidthOperator.Api.Tests.Validation;

/// <summary>Rates say what they mean: no binary suffixes, tc spellings get a suggestion, whole bytes per second.</summary>
public sealed class ResourceValidatorUnitsTests
{
    private static string Issues(string floor)
    {
        var (settings, issues) = ResourceValidator.Validate(new InterfaceBandwidth
        {
            Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "ns" },
            Spec = new InterfaceBandwidthSpec { Network = "n", NodeName = "node", MacAddress = "52:54:00:00:00:01", Inbound = new InterfaceInbound { Floor = floor } },
        });
        settings.ShouldBeNull();
        return string.Join("; ", issues);
    }

    [Fact]
    public void A_binary_suffix_on_a_rate_is_refused_with_the_decimal_spelling() =>
        Issues("100Mi").ShouldBe("spec.inbound.floor: '100Mi' has a binary suffix; rates are bits per second with decimal suffixes: write 100M (or 104857600 for exactly 100Mi)");

    [Fact]
    public void A_tc_spelling_suggests_the_quantity() =>
        Issues("100mbit").ShouldEndWith("rates are Kubernetes quantities in bits per second: write 100M");

    [Fact]
    public void A_rate_that_is_not_whole_bytes_is_refused() =>
        Issues("60").ShouldBe("spec.inbound.floor: 60 bit/s is not a whole number of bytes per second, which is what the kernel keeps: write 56 or 64");
}
