using System.Buffers.Binary;
using BandwidthOperator.Netlink.Protocol;

namespace BandwidthOperator.Netlink.Tests.Codecs;

public sealed class NetlinkAckTests
{
    [Fact]
    public void Capped_error_with_extended_ack_carries_errno_and_kernel_message()
    {
        // Layout: error, original header (capped), then the TLVs.
        var payload = new byte[4 + 16];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -22);
        var tlv = new NetlinkWriter();
        tlv.PutString(NetlinkNumbers.NLMSGERR_ATTR_MSG, "Exclusivity flag on, cannot modify");
        var message = new NetlinkMessage(NetlinkNumbers.NLMSG_ERROR, NetlinkNumbers.NLM_F_CAPPED | NetlinkNumbers.NLM_F_ACK_TLVS, 42, payload.Concat(tlv.Written.ToArray()).ToArray());

        var ack = RtnetlinkSocket.ParseAck(message);

        ack.Sequence.ShouldBe(42u);
        ack.Errno.ShouldBe(22);
        ack.KernelMessage.ShouldBe("Exclusivity flag on, cannot modify");
    }

    [Fact]
    public void Success_ack_has_no_error()
    {
        var message = new NetlinkMessage(NetlinkNumbers.NLMSG_ERROR, NetlinkNumbers.NLM_F_CAPPED, 7, new byte[20]);

        RtnetlinkSocket.ParseAck(message).Ok.ShouldBeTrue();
    }

    [Fact]
    public void Exception_message_names_operation_errno_text_and_kernel_text()
    {
        var e = new TcKernelException("tc class add dev br0 classid 1:3", "br0", 22, "Invalid rate");

        e.Message.ShouldBe("tc class add dev br0 classid 1:3: Invalid argument (kernel: \"Invalid rate\")");
        e.Device.ShouldBe("br0");
    }
}
