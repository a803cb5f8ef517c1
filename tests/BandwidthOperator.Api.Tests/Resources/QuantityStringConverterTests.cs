using System.Text.Json;
using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Api.Tests.Resources;

public class QuantityStringConverterTests
{
    [Theory]
    [InlineData("""{"average": "100M"}""", "100M")]
    [InlineData("""{"average": 1000000}""", "1000000")]
    [InlineData("""{"average": 1e6}""", "1000000")]
    [InlineData("""{"average": 2.5}""", "2.5")]
    [InlineData("""{"average": 18446744073709551615}""", "18446744073709551615")]
    [InlineData("""{"average": null}""", null)]
    public void Quantity_is_read_from_string_or_number(string json, string? expected) =>
        JsonSerializer.Deserialize<NetworkBandwidth>(json)!.Average.ShouldBe(expected);

    [Theory]
    [InlineData("""{"average": true}""")]
    [InlineData("""{"average": [1]}""")]
    public void Other_tokens_are_refused(string json) =>
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<NetworkBandwidth>(json)).Message.ShouldContain("a quantity must be a string or a number");

    [Fact]
    public void Quantity_is_written_as_a_string()
    {
        var json = JsonSerializer.Serialize(new InterfaceInbound { Floor = "1000000", Average = "2G" });
        json.ShouldBe("""{"floor":"1000000","average":"2G","peak":null,"burst":null}""");
    }

    [Fact]
    public void Interface_round_trips_through_json_with_kind_and_api_version()
    {
        var ibw = new InterfaceBandwidth { Metadata = new() { Name = "i" }, Spec = new() { Network = "n", MacAddress = "02:00:00:00:00:01" }, Status = new() { ClassId = 3 } };
        var json = JsonSerializer.Serialize(ibw);
        json.ShouldContain("\"apiVersion\":\"bandwidthoperator.io/v1alpha1\"");
        json.ShouldContain("\"kind\":\"InterfaceBandwidth\"");
        var back = JsonSerializer.Deserialize<InterfaceBandwidth>(json)!;
        back.Status!.ClassId.ShouldBe(3);
        back.Spec.MacAddress.ShouldBe("02:00:00:00:00:01");
    }
}
