using System;
using System.Net;
using System.Net.Sockets;
using KeyValueServer;

// A key-value server speaking the Redis protocol (RESP2) well enough for redis-cli and redis-benchmark, on
// System.Net.Sockets: the same source runs on .NET (dotnet/) and as a Cosmos-net kernel image.
//   --port N   the port to listen on (default 6379)
int port = 6379;
for (int i = 0; i + 1 < args.Length; i++)
    if (args[i] == "--port" && (!int.TryParse(args[i + 1], out port) || port <= 0 || port > 65535))
    {
        Console.WriteLine("usage: KeyValueServer [--port N]   (N from 1 to 65535)");
        return 2;
    }

var store = new Store();
var listener = new TcpListener(IPAddress.Any, port);
listener.Start();
Console.WriteLine("kv: listening on port " + port);
while (true)
{
    TcpClient client = await listener.AcceptTcpClientAsync();
    _ = new Connection(client, store).ServeAsync();
}
