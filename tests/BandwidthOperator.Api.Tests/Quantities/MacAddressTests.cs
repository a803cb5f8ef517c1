using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Api.Tests.Quantities;

public class MacAddressTests
{
    [Theory]
    [InlineData("52:54:00:6b:3c:01", 0x5254006B3C01UL)]
    [InlineData("52-54-00-6B-3C-01", 0x5254006B3C01UL)]
    [InlineData("52:54:0:6b:3c:1", 0x5254006B3C01UL)]
    [InlineData("FF:FF:FF:FF:FF:FF", 0xFFFFFFFFFFFFUL)]
    public void Address_is_parsed(string text, ulong expected)
    {
        MacAddress.TryParse(text, out var mac, out var error).ShouldBeTrue(error);
        mac.Value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("52:54:00:6b:3c:01", "52:54:00:6b:3c:01")]
    [InlineData("52-54-00-6B-3C-01", "52:54:00:6b:3c:01")]
    [InlineData("2:4:6:8:a:c", "02:04:06:08:0a:0c")]
    public void Address_prints_lower_case_with_colons(string text, string expected) =>
        MacAddress.Parse(text).ToString().ShouldBe(expected);

    [Theory]
    [InlineData("52:54:00:6b:3c", "expected six hex octets")]
    [InlineData("52:54:00:6b:3c:01:02", "expected six hex octets")]
    [InlineData("52:54:00:6b:3c:zz", "octet 'zz' is not hexadecimal")]
    [InlineData("52:54:00:6b:3c:100", "octet '100' is not hexadecimal")]
    [InlineData("52:54::6b:3c:01", "octet '' is not hexadecimal")]
    [InlineData("52:54:00:6b:3c:+1", "octet '+1' is not hexadecimal")]
    [InlineData("525400:6b3c01", "expected six hex octets")]
    [InlineData("52-54-00:6b:3c:01", "expected six hex octets")]
    public void Malformed_address_is_refused(string text, string reasonPart)
    {
        MacAddress.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reasonPart);
        error.ShouldContain(text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Empty_address_is_refused(string? text)
    {
        MacAddress.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldBe("is empty");
    }

    [Theory]
    [InlineData("01:00:5e:00:00:01", true)]
    [InlineData("33:33:00:00:00:01", true)]
    [InlineData("ff:ff:ff:ff:ff:ff", true)]
    [InlineData("52:54:00:6b:3c:01", false)]
    [InlineData("02:00:00:00:00:01", false)]
    [InlineData("00:00:00:00:00:01", false)]
    public void Multicast_bit_is_the_lowest_bit_of_the_first_octet(string text, bool multicast) =>
        MacAddress.Parse(text).IsMulticast.ShouldBe(multicast);

    [Fact]
    public void Zero_address_is_recognised()
    {
        MacAddress.Parse("00:00:00:00:00:00").IsZero.ShouldBeTrue();
        MacAddress.Parse("00:00:00:00:00:01").IsZero.ShouldBeFalse();
    }

    [Fact]
    public void Indexer_and_bytes_follow_octet_order()
    {
        var mac = MacAddress.Parse("52:54:00:6b:3c:01");
        mac[0].ShouldBe((byte)0x52);
        mac[5].ShouldBe((byte)0x01);
        mac.ToBytes().ShouldBe(new byte[] { 0x52, 0x54, 0x00, 0x6b, 0x3c, 0x01 });
        MacAddress.FromBytes(mac.ToBytes()).ShouldBe(mac);
    }

    [Fact]
    public void FromBytes_refuses_other_lengths() =>
        Should.Throw<ArgumentException>(() => MacAddress.FromBytes(new byte[5]));

    [Fact]
    public void Parse_throws_naming_a_mac_address() =>
        Should.Throw<FormatException>(() => MacAddress.Parse("nope")).Message.ShouldStartWith("MAC address 'nope'");
}
