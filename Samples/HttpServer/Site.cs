using System;
using System.Text;

namespace HttpServer
{
    /// <summary>The routes: the page and its stylesheet (files built into the program), a JSON status, a greeting, an echo.</summary>
    public sealed class Site
    {
        private readonly long _startedMs = Environment.TickCount64;
        public long Requests, Connections, Open;

        public Response Handle(Request request)
        {
            Requests++;
            string path = request.Path;
            bool read = request.Method == "GET" || request.Method == "HEAD";
            if (path == "/" || path == "/index.html")
                return read ? File("wwwroot/index.html") : NotAllowed("GET, HEAD");
            if (path.StartsWith("/static/"))
                return read ? File("wwwroot/" + path.Substring("/static/".Length)) : NotAllowed("GET, HEAD");
            if (path == "/api/status")
                return read ? Status() : NotAllowed("GET, HEAD");
            if (path.StartsWith("/hello/") && path.Length > "/hello/".Length)
                return read ? Response.Text(200, "Hello, " + path.Substring("/hello/".Length) + "!\n") : NotAllowed("GET, HEAD");
            if (path == "/api/echo")
                return request.Method == "POST"
                    ? new Response { ContentType = request.Headers.TryGetValue("Content-Type", out string type) ? type : "application/octet-stream", Body = request.Body }
                    : NotAllowed("POST");
            return Response.Error(404);
        }

        private static Response NotAllowed(string allow)
        {
            Response r = Response.Error(405);
            r.ExtraHeader = "Allow: " + allow;
            return r;
        }

        private static Response File(string name)
        {
            if (!EmbeddedFiles.TryGet(name, out ReadOnlySpan<byte> content)) return Response.Error(404);
            return new Response { ContentType = ContentTypeOf(name), Body = content.ToArray() };
        }

        private static string ContentTypeOf(string name) =>
            name.EndsWith(".html") ? "text/html; charset=utf-8" :
            name.EndsWith(".css") ? "text/css; charset=utf-8" :
            name.EndsWith(".json") ? "application/json" : "application/octet-stream";

        private Response Status()
        {
            var json = new StringBuilder();
            json.Append("{\"server\":\"cosmos-net-sample\"");
            json.Append(",\"requests\":").Append(Requests);
            json.Append(",\"connections\":").Append(Connections);
            json.Append(",\"open\":").Append(Open);
            json.Append(",\"uptime_ms\":").Append(Environment.TickCount64 - _startedMs);
            json.Append("}\n");
            return new Response { ContentType = "application/json", Body = Encoding.UTF8.GetBytes(json.ToString()) };
        }
    }
}
