namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// A stand-in OTLP/HTTP collector on loopback: it reads and drops every export, counting them, so that the exporter does
/// all of its work (serialising, sending) and the figure shows that it did.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _exports;
    private long _bytes;

    private OtlpSink(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public long Exports => Interlocked.Read(ref _exports);

    public long Bytes => Interlocked.Read(ref _bytes);

    public static async Task<OtlpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.Run(async context =>
        {
            var buffer = new byte[16 * 1024];
            long read = 0;
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                read += n;
            }

            Interlocked.Increment(ref sink._exports);
            Interlocked.Add(ref sink._bytes, read);
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return sink;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
