using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using HttpServer;

// An HTTP/1.1 server on System.Net.Sockets: the same source runs on .NET (dotnet/) and as a Cosmos-net kernel image.
//   --port N   the port to listen on (default 80)
int port = 80;
for (int i = 0; i + 1 < args.Length; i++)
    if (args[i] == "--port" && (!int.TryParse(args[i + 1], out port) || port <= 0 || port > 65535))
    {
        Console.WriteLine("usage: HttpServer [--port N]   (N from 1 to 65535)");
        return 2;
    }

var site = new Site();
var listener = new TcpListener(IPAddress.Any, port);
listener.Start();
Console.WriteLine("http: listening on port " + port);
while (true)
{
    TcpClient client = await listener.AcceptTcpClientAsync();
    // Each connection is served by its own task; the accept loop goes straight back to waiting.
    _ = new Connection(client, site).ServeAsync();
}
