namespace BandwidthOperator.Lab.Netns;

/// <summary>
/// Runs code with the calling context inside a network namespace: on a dedicated thread that
/// enters the namespace with setns(2), runs the code, and returns to its original namespace.
/// Sockets created there stay in that namespace for their whole life, whichever thread uses them
/// later; so this is how the test kit opens sockets in guests and the external namespace in-process.
/// </summary>
public static class NamespaceThread
{
    /// <summary>Runs <paramref name="action"/> inside the namespace whose handle is <paramref name="namespacePath"/> (e.g. /var/run/netns/NAME).</summary>
    public static T Run<T>(string namespacePath, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            int original = -1, target = -1;
            try
            {
                original = NativeMethods.OpenReadOnly("/proc/thread-self/ns/net");
                target = NativeMethods.OpenReadOnly(namespacePath);
                NativeMethods.SetNetNs(target, namespacePath);
                try
                {
                    result = action();
                }
                finally
                {
                    // Back home; if even that failed, the thread ends here anyway and takes the namespace with it.
                    NativeMethods.SetNetNs(original, "the thread's original namespace");
                }
            }
#pragma warning disable CA1031 // handed to the caller below
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
            finally
            {
                if (target >= 0)
                {
                    NativeMethods.Close(target);
                }

                if (original >= 0)
                {
                    NativeMethods.Close(original);
                }
            }
        })
        {
            IsBackground = true,
            Name = "netns " + namespacePath,
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"running inside {namespacePath} failed: {failure.Message}", failure);
        }

        return result!;
    }

    /// <summary>Runs <paramref name="action"/> inside <paramref name="ns"/>.</summary>
    public static T Run<T>(NetworkNamespace ns, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return Run(ns.Path, action);
    }
}
