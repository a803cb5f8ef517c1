namespace BandwidthOperator.Testing.Netns;

/// <summary>
/// A network namespace made for one test, with a unique name (prefix <c>bwt-</c>), removed on
/// <see cref="Dispose"/> — also when the test failed. Commands run in it through <c>ip netns exec</c>.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private bool _disposed;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Path of the namespace's handle, for setns(2).</summary>
    public string Path => "/var/run/netns/" + Name;

    /// <summary>Creates a namespace named <c>bwt-{hint}-{random}</c> (at most 15+ chars is fine for netns) with loopback up.</summary>
    public static NetworkNamespace Create(string hint = "t")
    {
        var name = $"bwt-{hint}-{Guid.NewGuid().ToString("N")[..8]}";
        HostCommand.Run("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        try
        {
            ns.Ip("link", "set", "lo", "up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    public static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

    /// <summary>Runs <c>ip -n NAME args…</c>.</summary>
    public string Ip(params string[] args) => HostCommand.Run("ip", ["-n", Name, .. args]);

    /// <summary>Runs <c>ip -n NAME -batch -</c> with one command per line (no leading <c>ip</c>): one process for many changes.</summary>
    public string IpBatch(IEnumerable<string> commands) =>
        HostCommand.RunWithInput("ip", string.Join('\n', commands) + "\n", "-n", Name, "-batch", "-");

    /// <summary>Runs <c>ip netns exec NAME tc -batch -</c> with one command per line (no leading <c>tc</c>).</summary>
    public string TcBatch(IEnumerable<string> commands) =>
        HostCommand.RunWithInput("ip", string.Join('\n', commands) + "\n", "netns", "exec", Name, "tc", "-batch", "-");

    /// <summary>Sets sysctls inside the namespace (<c>sysctl -e -w</c>: keys this kernel lacks are ignored), one process for all.</summary>
    public void Sysctl(params string[] assignments) => Exec("sysctl", ["-q", "-e", "-w", .. assignments]);

    /// <summary>Runs <paramref name="action"/> on a thread inside this namespace (see <see cref="NamespaceThread"/>); sockets made there live here.</summary>
    public T Enter<T>(Func<T> action) => NamespaceThread.Run(Path, action);

    /// <summary>Runs <c>ip netns exec NAME tc args…</c>.</summary>
    public string Tc(params string[] args) => Exec("tc", args);

    /// <summary>Runs a program inside the namespace.</summary>
    public string Exec(string file, params string[] args) => HostCommand.Run("ip", ["netns", "exec", Name, file, .. args]);

    public (int ExitCode, string Stdout, string Stderr) TryExec(string file, params string[] args) =>
        HostCommand.TryRun("ip", ["netns", "exec", Name, file, .. args]);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        HostCommand.TryRun("ip", "netns", "del", Name);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();
}
