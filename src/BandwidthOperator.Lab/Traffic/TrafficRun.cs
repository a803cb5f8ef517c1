using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Lab.Traffic;

/// <summary>
/// A built-in traffic generator (no iperf3): greedy TCP streams from a source namespace to guests,
/// goodput counted at the receivers. Listeners are made inside each guest's namespace and senders
/// inside the source namespace (see <see cref="Netns.NetworkNamespace.Enter{T}"/>), so only addresses inside the
/// test's own namespaces can ever be reached. A run is bounded: it stops by itself after
/// warm-up + duration, and every socket is closed on the way out, also on cancellation or failure.
/// </summary>
public static class TrafficRun
{
    private const int SolTcp = 6;
    private const int TcpCongestion = 13;
    private const int SolSocket = 1;
    private const int SoMaxPacingRate = 47;

    /// <summary>
    /// Runs every group at once for <paramref name="warmup"/> + <paramref name="duration"/> and
    /// returns each group's goodput over <paramref name="duration"/> (TCP payload received per second).
    /// </summary>
    public static Task<TrafficResult> RunAsync(
        NetworkNamespace source,
        IReadOnlyList<FlowGroup> groups,
        TimeSpan warmup,
        TimeSpan duration,
        CancellationToken cancellationToken = default) =>
        RunAsync(source, groups, warmup, duration, TrafficOptions.Default, cancellationToken);

    public static async Task<TrafficResult> RunAsync(
        NetworkNamespace source,
        IReadOnlyList<FlowGroup> groups,
        TimeSpan warmup,
        TimeSpan duration,
        TrafficOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmup, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SampleInterval, TimeSpan.Zero);
        if (groups.Count == 0 || groups.Any(g => g.Streams < 1))
        {
            throw new ArgumentException("at least one group, each with at least one stream", nameof(groups));
        }

        // Everything below is bounded by this, whatever happens.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lifetime.CancelAfter(options.ConnectTimeout + warmup + duration + TimeSpan.FromSeconds(10));
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);

        var sockets = new List<Socket>();
        var tasks = new List<Task>();
        var counters = new long[groups.Count];
        var failures = new List<Exception>();
        var stopping = 0;

        void Fail(Exception e)
        {
            if (Volatile.Read(ref stopping) == 0 && e is not OperationCanceledException)
            {
                lock (failures)
                {
                    failures.Add(e);
                }
            }
        }

        try
        {
            // Listeners in the guests, senders in the source namespace.
            var listeners = new Socket[groups.Count];
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                var endpoint = new IPEndPoint(group.Guest.Address(group.Family), group.Port);
                listeners[g] = group.Guest.Namespace.Enter(() =>
                {
                    var l = new Socket(group.Family, SocketType.Stream, ProtocolType.Tcp);
                    try
                    {
                        l.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                        l.Bind(endpoint);
                        l.Listen(group.Streams + 4);
                        return l;
                    }
                    catch
                    {
                        l.Dispose();
                        throw;
                    }
                });
                sockets.Add(listeners[g]);
            }

            var senders = new List<(int Group, Socket Socket)>();
            source.Enter(() =>
            {
                for (var g = 0; g < groups.Count; g++)
                {
                    for (var s = 0; s < groups[g].Streams; s++)
                    {
                        var c = new Socket(groups[g].Family, SocketType.Stream, ProtocolType.Tcp);
                        sockets.Add(c);
                        senders.Add((g, c));
                        if (options.SendBufferBytes > 0)
                        {
                            c.SendBufferSize = options.SendBufferBytes;
                        }

                        if (options.CongestionControl is { } cc)
                        {
                            c.SetRawSocketOption(SolTcp, TcpCongestion, Encoding.ASCII.GetBytes(cc));
                        }

                        if (groups[g].PacedTo is { } paced)
                        {
                            // SO_MAX_PACING_RATE (bytes/s per socket; TCP paces itself): an application sending at a set rate.
                            var perStream = (uint)Math.Min(uint.MaxValue, paced.BytesPerSecond / (ulong)groups[g].Streams);
                            c.SetRawSocketOption(SolSocket, SoMaxPacingRate, BitConverter.GetBytes(perStream));
                        }
                    }
                }

                return 0;
            });

            // Connect everything, accept everything.
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token))
            {
                connecting.CancelAfter(options.ConnectTimeout);
                var accepts = new List<Task<Socket>>();
                var acceptGroup = new List<int>();
                for (var g = 0; g < groups.Count; g++)
                {
                    for (var s = 0; s < groups[g].Streams; s++)
                    {
                        accepts.Add(listeners[g].AcceptAsync(connecting.Token).AsTask());
                        acceptGroup.Add(g);
                    }
                }

                var connects = senders.Select(x =>
                    x.Socket.ConnectAsync(new IPEndPoint(groups[x.Group].Guest.Address(groups[x.Group].Family), groups[x.Group].Port), connecting.Token).AsTask());
                try
                {
                    await Task.WhenAll(connects);
                    await Task.WhenAll(accepts);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    // Close what was accepted, then say which connection did not come up.
                    foreach (var a in accepts.Where(a => a.IsCompletedSuccessfully))
                    {
                        sockets.Add(a.Result);
                    }

                    lifetime.Token.ThrowIfCancellationRequested();
                    throw new InvalidOperationException($"connecting the streams failed ({string.Join(", ", groups)}): {e.Message}", e);
                }

                for (var i = 0; i < accepts.Count; i++)
                {
                    var accepted = accepts[i].Result;
                    sockets.Add(accepted);
                    var g = acceptGroup[i];
                    tasks.Add(Task.Run(() => ReceiveAsync(accepted, counters, g, options.ReadBytes, Fail, lifetime.Token), CancellationToken.None));
                }
            }

            var payload = new byte[options.WriteBytes];
            Random.Shared.NextBytes(payload);
            foreach (var (_, socket) in senders)
            {
                tasks.Add(Task.Run(() => SendAsync(socket, payload, Fail, stopSending.Token), CancellationToken.None));
            }

            // Snapshot the counters at every sample tick and at the window's edges.
            var clock = Stopwatch.StartNew();
            var end = warmup + duration;
            var ticks = new SortedSet<TimeSpan> { TimeSpan.Zero, warmup, end };
            for (var t = options.SampleInterval; t < end; t += options.SampleInterval)
            {
                ticks.Add(t);
            }

            var snapshots = new List<(TimeSpan Requested, TimeSpan At, long[] Bytes)>();
            foreach (var tick in ticks)
            {
                var wait = tick - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, lifetime.Token);
                }

                var bytes = new long[counters.Length];
                for (var g = 0; g < counters.Length; g++)
                {
                    bytes[g] = Interlocked.Read(ref counters[g]);
                }

                var at = clock.Elapsed;
                if (options.OnSample is { } onSample && snapshots.Count > 0)
                {
                    var previous = snapshots[^1];
                    var seconds = (at - previous.At).TotalSeconds;
                    onSample(at, [.. bytes.Select((b, g) => new Api.Quantities.BitRate(seconds > 0 ? (ulong)Math.Round((b - previous.Bytes[g]) * 8.0 / seconds) : 0))]);
                }

                snapshots.Add((tick, at, bytes));
            }

            Volatile.Write(ref stopping, 1);
            lock (failures)
            {
                if (failures.Count > 0)
                {
                    throw new InvalidOperationException($"a stream failed during the run: {failures[0].Message}", failures[0]);
                }
            }

            var first = snapshots.First(s => s.Requested == warmup);
            var last = snapshots[^1];
            var measured = last.At - first.At;
            var results = new List<FlowGroupResult>();
            for (var g = 0; g < groups.Count; g++)
            {
                var samples = new List<TrafficSample>();
                for (var i = 1; i < snapshots.Count; i++)
                {
                    var a = snapshots[i - 1];
                    var b = snapshots[i];
                    var length = b.At - a.At;
                    var bytes = b.Bytes[g] - a.Bytes[g];
                    var rate = length > TimeSpan.Zero ? bytes * 8.0 / length.TotalSeconds : 0;
                    samples.Add(new TrafficSample(a.At, length, bytes, new((ulong)Math.Round(rate)), b.Requested <= warmup && warmup > TimeSpan.Zero));
                }

                results.Add(new FlowGroupResult(groups[g], last.Bytes[g] - first.Bytes[g], measured, samples));
            }

            return new TrafficResult(warmup, measured, results);
        }
        finally
        {
            Volatile.Write(ref stopping, 1);
            await stopSending.CancelAsync();
            foreach (var s in sockets)
            {
                Abort(s);
            }

            await lifetime.CancelAsync();
            try
            {
                await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
#pragma warning disable CA1031 // the streams' own errors were collected above; at shutdown they are expected
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>
    /// Closes with SO_LINGER 0: a reset, and the send buffer is dropped, so no orphaned socket keeps
    /// sending megabytes into the next measurement.
    /// </summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed or never connected: nothing to drop.
        }

        socket.Dispose();
    }

    private static async Task SendAsync(Socket socket, byte[] payload, Action<Exception> fail, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await socket.SendAsync(payload, SocketFlags.None, stop);
            }
        }
#pragma warning disable CA1031 // reported through fail
        catch (Exception e)
#pragma warning restore CA1031
        {
            fail(e);
        }
    }

    private static async Task ReceiveAsync(Socket socket, long[] counters, int group, int readBytes, Action<Exception> fail, CancellationToken stop)
    {
        var buffer = new byte[readBytes];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop);
                if (n == 0)
                {
                    return;
                }

                Interlocked.Add(ref counters[group], n);
            }
        }
#pragma warning disable CA1031 // reported through fail
        catch (Exception e)
#pragma warning restore CA1031
        {
            fail(e);
        }
    }
}
