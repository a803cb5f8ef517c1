using System.Runtime.InteropServices;

namespace BandwidthOperator.Lab.Netns;

/// <summary>The few libc calls needed to enter a network namespace from one thread.</summary>
internal static class NativeMethods
{
    /// <summary>CLONE_NEWNET: the namespace type passed to setns(2).</summary>
    public const int CloneNewNet = 0x40000000;

    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000;

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int OpenNative(byte[] path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "close")]
    private static extern int CloseNative(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "setns")]
    private static extern int SetNsNative(int fd, int nstype);

    /// <summary>open(path, O_RDONLY|O_CLOEXEC); throws with errno on failure.</summary>
    public static int OpenReadOnly(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        var fd = OpenNative(bytes, ORdOnly | OCloExec);
        if (fd < 0)
        {
            throw new InvalidOperationException($"open {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return fd;
    }

    public static void Close(int fd) => _ = CloseNative(fd);

    /// <summary>setns(fd, CLONE_NEWNET) for the calling thread; throws with errno on failure.</summary>
    public static void SetNetNs(int fd, string what)
    {
        if (SetNsNative(fd, CloneNewNet) != 0)
        {
            throw new InvalidOperationException($"setns into {what} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
