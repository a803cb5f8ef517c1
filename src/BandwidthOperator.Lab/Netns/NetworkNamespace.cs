using BandwidthOperator.Netlink.Namespaces;

namespace BandwidthOperator.Lab.Netns;

/// <summary>
/// A network namespace made for one test (a unique name, prefix <c>bwt-</c>) or for the demo (an exact
/// name), removed on <see cref="Dispose"/> — also when the test or the demo failed. Commands run in it
/// through <c>ip netns exec</c>.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private bool _disposed;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Path of the namespace's handle, for setns(2).</summary>
    public string Path => NetworkNamespaceThread.PathOf(Name);

    /// <summary>Creates a namespace named <c>bwt-{hint}-{random}</c> (at most 15+ chars is fine for netns) with loopback up.</summary>
    public static NetworkNamespace Create(string hint = "t")
    {
        var name = $"bwt-{hint}-{Guid.NewGuid().ToString("N")[..8]}";
        return CreateNamed(name);
    }

    /// <summary>
    /// Creates the namespace <paramref name="name"/> exactly, with loopback up; fails (and changes nothing)
    /// when a namespace of that name exists already.
    /// </summary>
    public static NetworkNamespace CreateNamed(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Exists(name))
        {
            throw new InvalidOperationException($"network namespace {name} exists already");
        }

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

    /// <summary>Whether a named network namespace <paramref name="name"/> exists (<c>ip netns list</c>).</summary>
    public static bool Exists(string name) => File.Exists("/var/run/netns/" + name);

    /// <summary>The names of every named network namespace (<c>ip netns list</c>).</summary>
    public static IReadOnlyList<string> List() =>
        Directory.Exists("/var/run/netns") ? [.. Directory.GetFiles("/var/run/netns").Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)] : [];

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

    /// <summary>
    /// Runs <paramref name="action"/> on a thread inside this namespace, with the primitive the agent uses
    /// too (<see cref="NetworkNamespaceThread"/>); sockets made there live here.
    /// </summary>
    public T Enter<T>(Func<T> action) => NetworkNamespaceThread.Run(Path, action);

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
