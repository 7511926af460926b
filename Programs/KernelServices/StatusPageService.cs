using System;
using System.IO;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace KernelServices
{
    /// <summary>
    /// The status page over HTTP/1.1 (RFC 9112): GET or HEAD of / gives every interface the program can see through
    /// System.Net.NetworkInformation (state, hardware address, IPv4 address and prefix, gateway, DNS, traffic counters),
    /// the heap, and what the services have done. Connections persist unless the client says Connection: close (or
    /// speaks HTTP/1.0 without keep-alive); other paths are 404, other methods 405, a malformed request 400, a header
    /// block over 8 KiB 431, and a connection idle for 30 s is closed.
    /// </summary>
    public sealed class StatusPageService
    {
        private const int MaxHeaderBytes = 8 * 1024;
        private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
        private readonly int _port;
        private readonly ServiceCounters _counters;

        public StatusPageService(int port, ServiceCounters counters)
        {
            _port = port;
            _counters = counters;
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var listener = new TcpListener(IPAddress.Any, _port);
            listener.Start();
            try
            {
                while (true)
                {
                    TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
                    _ = ServeAsync(client, cancellationToken);
                }
            }
            finally
            {
                listener.Stop();
            }
        }

        private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
        {
            using (client)
            {
                NetworkStream stream = client.GetStream();
                byte[] buffer = new byte[MaxHeaderBytes];
                int filled = 0;
                try
                {
                    while (true)
                    {
                        int end = HeaderEnd(buffer, filled);
                        if (end < 0)
                        {
                            if (filled == buffer.Length) { await RespondAsync(stream, 431, "Request Header Fields Too Large", null, false, true); return; }
                            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                            idle.CancelAfter(IdleTimeout);
                            int n;
                            try { n = await stream.ReadAsync(buffer.AsMemory(filled), idle.Token); }
                            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { return; }
                            if (n == 0) return;
                            filled += n;
                            continue;
                        }
                        _counters.HttpRequest();
                        bool keepAlive = await AnswerAsync(stream, Encoding.ASCII.GetString(buffer, 0, end));
                        if (!keepAlive) return;
                        // Pipelined requests: what followed the header block is the start of the next one.
                        int rest = filled - (end + 4);
                        Array.Copy(buffer, end + 4, buffer, 0, rest);
                        filled = rest;
                    }
                }
                catch (IOException)
                {
                    // The client went away mid-request.
                }
                catch (Exception e)
                {
                    // Nothing awaits this connection's task, so a failure is said here rather than lost.
                    Console.WriteLine("status: a request failed: " + e.GetType().FullName + ": " + e.Message);
                }
            }
        }

        /// <summary>The offset of the blank line that ends the header block ("\r\n\r\n"), or -1.</summary>
        private static int HeaderEnd(byte[] buffer, int length)
        {
            for (int i = 0; i + 3 < length; i++)
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
            return -1;
        }

        /// <summary>Answers one request (its header block, without the final blank line); false when the connection ends.</summary>
        private async Task<bool> AnswerAsync(NetworkStream stream, string head)
        {
            string[] lines = head.Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.") || requestLine[1].Length == 0 || requestLine[1][0] != '/')
            {
                await RespondAsync(stream, 400, "Bad Request", null, false, true);
                return false;
            }
            string method = requestLine[0], target = requestLine[1];
            bool http10 = requestLine[2] == "HTTP/1.0";
            bool keepAlive = !http10;
            bool hasBody = false;
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon <= 0) { await RespondAsync(stream, 400, "Bad Request", null, false, true); return false; }
                string name = lines[i].Substring(0, colon).Trim(), value = lines[i].Substring(colon + 1).Trim();
                if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    if (value.Equals("close", StringComparison.OrdinalIgnoreCase)) keepAlive = false;
                    else if (value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)) keepAlive = true;
                }
                else if ((name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && value != "0")
                    || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) hasBody = true;
            }
            bool headOnly = method == "HEAD";
            if (method != "GET" && !headOnly)
            {
                // A body this page does not read would be taken for the next request: answer, then close.
                await RespondAsync(stream, 405, "Method Not Allowed", null, false, true, "Allow: GET, HEAD\r\n");
                return false;
            }
            if (hasBody) { await RespondAsync(stream, 400, "Bad Request", null, false, true); return false; }
            int query = target.IndexOf('?');
            string path = query < 0 ? target : target.Substring(0, query);
            if (path != "/" && path != "/status")
            {
                await RespondAsync(stream, 404, "Not Found", "not found\n", headOnly, !keepAlive);
                return keepAlive;
            }
            await RespondAsync(stream, 200, "OK", StatusText(), headOnly, !keepAlive);
            return keepAlive;
        }

        private static async Task RespondAsync(NetworkStream stream, int status, string reason, string body, bool headOnly, bool close, string extraHeaders = null)
        {
            byte[] content = Encoding.UTF8.GetBytes(body ?? string.Concat(status.ToString(), " ", reason, "\n"));
            var head = new StringBuilder();
            head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n");
            head.Append("Content-Type: text/plain; charset=utf-8\r\n");
            head.Append("Content-Length: ").Append(content.Length).Append("\r\n");
            if (extraHeaders != null) head.Append(extraHeaders);
            head.Append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
            head.Append("\r\n");
            byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
            await stream.WriteAsync(headBytes.AsMemory());
            if (!headOnly) await stream.WriteAsync(content.AsMemory());
        }

        /// <summary>The page: one "key: value" per line, an interface's keys prefixed with its name.</summary>
        private string StatusText()
        {
            var page = new StringBuilder();
            page.Append("Cosmos-net status (a program on System.Net.NetworkInformation)\n\n");
            page.Append("uptime_ms: ").Append(Environment.TickCount64).Append('\n');
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            page.Append("network_available: ").Append(NetworkInterface.GetIsNetworkAvailable() ? "yes" : "no").Append('\n');
            page.Append("interfaces: ").Append(interfaces.Length).Append('\n');
            foreach (NetworkInterface nic in interfaces)
            {
                string name = nic.Name;
                page.Append(name).Append(": ").Append(nic.OperationalStatus == OperationalStatus.Up ? "up" : "down")
                    .Append(' ').Append(nic.Description).Append('\n');
                page.Append(name).Append(".mac: ").Append(ColonSeparated(nic.GetPhysicalAddress())).Append('\n');
                IPInterfaceProperties ip = nic.GetIPProperties();
                foreach (UnicastIPAddressInformation address in ip.UnicastAddresses)
                {
                    if (address.Address.AddressFamily != AddressFamily.InterNetwork) continue;
                    page.Append(name).Append(".ipv4: ").Append(address.Address).Append('/').Append(address.PrefixLength).Append('\n');
                }
                foreach (GatewayIPAddressInformation gateway in ip.GatewayAddresses)
                    if (gateway.Address.AddressFamily == AddressFamily.InterNetwork) page.Append(name).Append(".gateway: ").Append(gateway.Address).Append('\n');
                foreach (IPAddress dns in ip.DnsAddresses)
                    if (dns.AddressFamily == AddressFamily.InterNetwork) page.Append(name).Append(".dns: ").Append(dns).Append('\n');
                // NonUnicastPacketsSent is not asked: .NET on Linux cannot give it (PlatformNotSupportedException), nor can the kernel.
                IPInterfaceStatistics stats = nic.GetIPStatistics();
                page.Append(name).Append(".rx_packets: ").Append(stats.UnicastPacketsReceived + stats.NonUnicastPacketsReceived).Append('\n');
                page.Append(name).Append(".rx_bytes: ").Append(stats.BytesReceived).Append('\n');
                page.Append(name).Append(".rx_discarded: ").Append(stats.IncomingPacketsDiscarded).Append('\n');
                page.Append(name).Append(".tx_packets: ").Append(stats.UnicastPacketsSent).Append('\n');
                page.Append(name).Append(".tx_bytes: ").Append(stats.BytesSent).Append('\n');
            }
            page.Append('\n');
            page.Append("heap_bytes: ").Append(GC.GetTotalMemory(false)).Append('\n');
            page.Append("gc_collections: ").Append(GC.CollectionCount(0)).Append('\n');
            page.Append("udp_echoed: ").Append(_counters.UdpEchoed).Append('\n');
            page.Append("tcp_echo_connections: ").Append(_counters.TcpConnections).Append('\n');
            page.Append("tcp_echo_bytes: ").Append(_counters.TcpBytesEchoed).Append('\n');
            page.Append("http_requests: ").Append(_counters.HttpRequests).Append('\n');
            return page.ToString();
        }

        /// <summary>52:54:00:12:34:56, the way ip(8) and the kernel's log write it.</summary>
        private static string ColonSeparated(PhysicalAddress address)
        {
            byte[] bytes = address.GetAddressBytes();
            var text = new StringBuilder();
            for (int i = 0; i < bytes.Length; i++)
            {
                if (i > 0) text.Append(':');
                text.Append(bytes[i].ToString("x2"));
            }
            return text.ToString();
        }
    }
}
