using System;
using System.Text;

namespace HttpServer
{
    /// <summary>A response to write: status, content type, body, and any extra header line.</summary>
    public sealed class Response
    {
        public int Status = 200;
        public string ContentType = "text/plain; charset=utf-8";
        public byte[] Body = new byte[0];
        public string ExtraHeader;

        public static Response Text(int status, string text) =>
            new Response { Status = status, Body = Encoding.UTF8.GetBytes(text) };

        public static Response Error(int status) => Text(status, status + " " + Reason(status) + "\n");

        /// <summary>The header section (RFC 9112 §4, §6); the body follows unless the request was HEAD.</summary>
        public byte[] Head(bool keepAlive)
        {
            var text = new StringBuilder();
            text.Append("HTTP/1.1 ").Append(Status).Append(' ').Append(Reason(Status)).Append("\r\n");
            text.Append("Server: cosmos-net-sample\r\n");
            text.Append("Content-Type: ").Append(ContentType).Append("\r\n");
            text.Append("Content-Length: ").Append(Body.Length).Append("\r\n");
            if (ExtraHeader != null) text.Append(ExtraHeader).Append("\r\n");
            text.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
            text.Append("\r\n");
            return Encoding.ASCII.GetBytes(text.ToString());
        }

        public static string Reason(int status) => status switch
        {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            413 => "Content Too Large",
            414 => "URI Too Long",
            431 => "Request Header Fields Too Large",
            501 => "Not Implemented",
            505 => "HTTP Version Not Supported",
            _ => "Unknown",
        };
    }
}
