using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SkyRay.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 answering the Kubernetes API paths the observer calls, with bodies shaped like a real API
/// server's (list envelopes, <c>Status</c> errors, the plain <c>404 page not found</c> of an API group that is not installed).
/// The observer reaches it through KubernetesClient and a kubeconfig, exactly as it reaches a cluster.
/// </summary>
public sealed class LoopbackApiServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<HttpListenerRequest, Task<Answer>>> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackApiServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Every request path with its query, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A kubeconfig for this server (bearer token, plain HTTP on loopback).</summary>
    public string Kubeconfig => new KubeconfigFor(Port).Text;

    /// <summary>A kubeconfig pointing at a loopback port.</summary>
    public sealed record KubeconfigFor(int Port)
    {
        public string Text => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: loopback
          cluster:
            server: http://127.0.0.1:{{Port}}
        users:
        - name: observer
          user:
            token: not-a-real-token
        contexts:
        - name: loopback
          context:
            cluster: loopback
            user: observer
        current-context: loopback
        """;
    }

    public LoopbackApiServer Json(string path, string body, int status = 200) =>
        Route(path, _ => Task.FromResult(new Answer(status, "application/json", body)));

    public LoopbackApiServer Route(string path, Func<HttpListenerRequest, Task<Answer>> answer)
    {
        _routes[path] = answer;
        return this;
    }

    /// <summary>The <c>Status</c> body a real API server sends with an error.</summary>
    public static string StatusBody(int code, string reason, string message) => $$"""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message}}","reason":"{{reason}}","code":{{code}}}
        """;

    /// <summary>A list envelope (<c>kind: XList</c>, metadata with resourceVersion, items).</summary>
    public static string List(string apiVersion, string kind, params string[] items) =>
        $$"""{"apiVersion":"{{apiVersion}}","kind":"{{kind}}","metadata":{"continue":"","resourceVersion":"48213"},"items":[{{string.Join(",", items)}}]}""";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        // The API server answers a path with or without its trailing slash (the client asks for /version/).
        var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimEnd('/');
        Requests.Enqueue(context.Request.Url.PathAndQuery);
        var answer = _routes.TryGetValue(path, out var route)
            ? await route(context.Request).ConfigureAwait(false)
            : new Answer(404, "text/plain; charset=utf-8", "404 page not found\n");
        try
        {
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up (a timeout test); nothing to answer.
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public sealed record Answer(int Status, string ContentType, string Body);
}
