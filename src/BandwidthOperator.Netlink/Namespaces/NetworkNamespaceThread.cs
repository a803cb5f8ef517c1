using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using BandwidthOperator.Netlink.Interop;

namespace BandwidthOperator.Netlink.Namespaces;

/// <summary>
/// The one way this codebase enters a network namespace (the agent's <c>--netns</c>, the netlink
/// sockets of tests, the lab's traffic generator): a dedicated thread calls <c>setns(2)</c> (which
/// changes the calling thread only), runs the code, and switches back before it ends. Sockets made
/// there stay in that namespace for their whole life, whichever thread uses them later.
/// Equivalent to: <c>ip netns exec NAME …</c> for the code given, without a process.
/// </summary>
public static class NetworkNamespaceThread
{
    /// <summary>Where <c>ip netns add NAME</c> puts the handle of a named namespace.</summary>
    public const string NamedNamespaces = "/var/run/netns/";

    /// <summary>A bare name is an <c>ip netns</c> name (<c>/var/run/netns/NAME</c>); anything with a slash is a path.</summary>
    public static string PathOf(string netns)
    {
        ArgumentException.ThrowIfNullOrEmpty(netns);
        return netns.Contains('/', StringComparison.Ordinal) ? netns : NamedNamespaces + netns;
    }

    /// <summary>
    /// Runs <paramref name="action"/> inside the namespace <paramref name="netns"/> (a name or a path) and
    /// returns its result. Failing to enter throws <see cref="IOException"/> naming the path and the errno;
    /// what <paramref name="action"/> throws is rethrown as it was.
    /// </summary>
    public static T Run<T>(string netns, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var path = PathOf(netns);
        T? result = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = InNamespace(path, action);
            }
#pragma warning disable CA1031 // handed to the calling thread below
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + path,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    private static T InNamespace<T>(string path, Func<T> action)
    {
        var self = Open("/proc/thread-self/ns/net");
        try
        {
            var target = Open(path);
            try
            {
                if (NativeMethods.SetNs(target, NativeMethods.CLONE_NEWNET) != 0)
                {
                    throw Failure("setns into " + path);
                }
            }
            finally
            {
                NativeMethods.Close(target);
            }

            try
            {
                return action();
            }
            finally
            {
                if (NativeMethods.SetNs(self, NativeMethods.CLONE_NEWNET) != 0)
                {
                    // The thread is ours and ends right after; nothing else runs in the wrong namespace.
                    Environment.FailFast("setns back to the original network namespace failed");
                }
            }
        }
        finally
        {
            NativeMethods.Close(self);
        }
    }

    private static int Open(string path)
    {
        var fd = NativeMethods.Open(path, NativeMethods.O_RDONLY | NativeMethods.O_CLOEXEC);
        return fd >= 0 ? fd : throw Failure("open " + path);
    }

    private static IOException Failure(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what}: {NativeMethods.ErrorText(errno)} (errno {errno})");
    }
}
