using System;
using System.Threading;
using System.Threading.Tasks;
using KernelServices;

// The kernel's own services as one program on System.Net.Sockets: UDP and TCP echo (RFC 862) and the status page, each
// a service with its own task, several in one image. The same source runs on .NET (dotnet/).
//   --echo-port N    UDP and TCP echo (default 7; 0 turns echo off)
//   --http-port N    the status page (default 80; 0 turns it off)
int echoPort = 7, httpPort = 80;
for (int i = 0; i < args.Length; i++)
{
    bool echo = args[i] == "--echo-port", http = args[i] == "--http-port";
    if (!echo && !http) continue;
    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out int port) || port < 0 || port > 65535)
    {
        Console.WriteLine("usage: KernelServices [--echo-port N] [--http-port N]   (N from 0, off, to 65535)");
        return 2;
    }
    if (echo) echoPort = port; else httpPort = port;
    i++;
}

var counters = new ServiceCounters();
var running = new System.Collections.Generic.List<Task>();
if (echoPort != 0)
{
    running.Add(new UdpEchoService(echoPort, counters).RunAsync(CancellationToken.None));
    running.Add(new TcpEchoService(echoPort, counters).RunAsync(CancellationToken.None));
    // Each RunAsync has bound its socket before its first await, so the port is open once it returns.
    Console.WriteLine("echo: listening on port " + echoPort + " (UDP and TCP)");
}
if (httpPort != 0)
{
    running.Add(new StatusPageService(httpPort, counters).RunAsync(CancellationToken.None));
    Console.WriteLine("status: listening on port " + httpPort + " (HTTP)");
}
if (running.Count == 0)
{
    Console.WriteLine("services: none asked for");
    return 0;
}
Console.WriteLine("services: " + running.Count + " running");
// The services run until the machine stops; one that fails ends the program with its exception.
await Task.WhenAny(running);
foreach (Task service in running)
    if (service.IsFaulted) { Console.WriteLine("services: a service failed: " + service.Exception.InnerException.Message); return 1; }
return 0;
