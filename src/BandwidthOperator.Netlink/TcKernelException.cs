using BandwidthOperator.Netlink.Interop;

namespace BandwidthOperator.Netlink;

/// <summary>
/// The kernel refused an rtnetlink request (or the socket failed). The message reads like
/// <c>tc class add dev br0 classid 1:3: File exists (kernel: "Class already exists")</c>: the
/// operation as the equivalent command, the errno text, and the kernel's extended-ack message.
/// </summary>
public sealed class TcKernelException : Exception
{
    public TcKernelException()
        : this("netlink request", null, 0, null)
    {
    }

    public TcKernelException(string message)
        : base(message)
    {
        Operation = message;
    }

    public TcKernelException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = message;
    }

    public TcKernelException(string operation, string? device, int errno, string? kernelMessage)
        : base(Describe(operation, errno, kernelMessage))
    {
        Operation = operation;
        Device = device;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    /// <summary>The operation as its <c>tc</c>/<c>ip</c> command (<c>tc class add dev br0 classid 1:3</c>).</summary>
    public string Operation { get; }

    /// <summary>The device the operation was for, when it had one.</summary>
    public string? Device { get; }

    /// <summary>The positive errno (22 = EINVAL, 17 = EEXIST, 2 = ENOENT …); 0 when not from the kernel.</summary>
    public int Errno { get; }

    /// <summary>The kernel's extended-ack text (<c>NLMSGERR_ATTR_MSG</c>), when it gave one.</summary>
    public string? KernelMessage { get; }

    private static string Describe(string operation, int errno, string? kernelMessage)
    {
        var text = errno == 0 ? "failed" : NativeMethods.ErrorText(errno);
        return kernelMessage is null ? $"{operation}: {text}" : $"{operation}: {text} (kernel: \"{kernelMessage}\")";
    }
}
