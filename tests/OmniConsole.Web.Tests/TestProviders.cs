using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using netDumbster.smtp;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Real providers for delivery tests: an HTTP SMS gateway (Kestrel, recording every request and answering as the test
/// scripts it, 200 by default) and an SMTP server (netDumbster), with the settings that point the app at them.
/// </summary>
internal sealed class TestProviders : IAsyncDisposable
{
    private WebApplication _gateway = null!;

    /// <summary>Every request the gateway got: the phone and the text.</summary>
    public ConcurrentQueue<(string To, string Text)> Posts { get; } = new();

    /// <summary>How the gateway answers.</summary>
    public Func<HttpContext, Task<IResult>> Answer { get; set; } = _ => Task.FromResult(Results.Ok());

    public SimpleSmtpServer Smtp { get; private set; } = null!;
    private int _smtpPort;

    public static async Task<TestProviders> StartAsync()
    {
        var providers = new TestProviders();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        providers._gateway = builder.Build();
        providers._gateway.MapPost("/sms", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            providers.Posts.Enqueue((body.RootElement.GetProperty("to").GetString()!, body.RootElement.GetProperty("text").GetString()!));
            return await providers.Answer(context);
        });
        await providers._gateway.StartAsync();
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        providers._smtpPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        providers.Smtp = SimpleSmtpServer.Start(providers._smtpPort);
        return providers;
    }

    /// <summary>SMS through the gateway, e-mail through the SMTP server.</summary>
    public void Configure(IWebHostBuilder b)
    {
        b.UseSetting("OmniConsole:Messaging:Sms:Provider", "Http");
        b.UseSetting("OmniConsole:Messaging:Sms:Url", _gateway.Urls.Single() + "/sms");
        b.UseSetting("OmniConsole:Messaging:Email:Provider", "Smtp");
        b.UseSetting("OmniConsole:Messaging:Email:Host", "127.0.0.1");
        b.UseSetting("OmniConsole:Messaging:Email:Port", _smtpPort.ToString(CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        Smtp.Dispose();
        await _gateway.DisposeAsync();
    }
}
