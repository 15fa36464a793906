using System.Net;
using System.Net.Sockets;

namespace Lmis.Testing;

public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A loopback TCP port nothing listens on now, never the same one twice in a test run.</summary>
    public static int Next(int max = 65535)
    {
        lock (Handed)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (port <= max && Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free loopback port found.");
    }

    /// <summary>A free port p such that p + offset is free too (RabbitMQ's distribution port).</summary>
    public static int NextWithCompanion(int offset, int max)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Next(max);
            if (IsFree(port + offset))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free pair of loopback ports found.");
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
