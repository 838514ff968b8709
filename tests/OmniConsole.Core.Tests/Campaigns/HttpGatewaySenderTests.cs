using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Tests.Campaigns;

/// <summary>A real gateway on Kestrel: <c>POST /{status}</c> records the request and answers that status; <c>POST /hang</c> never answers.</summary>
public sealed class HttpGatewaySenderTests : IAsyncLifetime
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentQueue<(string Path, string ContentType, JsonElement Body)> received = new();
    private readonly HttpClient http = new();
    private WebApplication gateway = null!;
    private string gatewayUrl = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        gateway = builder.Build();
        gateway.MapPost("/{status:int}", async (int status, HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            received.Enqueue((request.Path, request.ContentType ?? "", body.RootElement.Clone()));
            // A 204 may carry no body: Kestrel would fail the response otherwise.
            return status == 204 ? Results.NoContent() : Results.Text("gateway says " + status, statusCode: status);
        });
        gateway.MapPost("/hang", async (HttpContext context) =>
        {
            received.Enqueue(("/hang", context.Request.ContentType ?? "", default));
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await gateway.StartAsync();
        gatewayUrl = gateway.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await gateway.DisposeAsync();
    }

    private HttpGatewaySender Sender(Action<MessagingOptions> configure, TimeSpan? timeout = null)
    {
        var options = new MessagingOptions();
        configure(options);
        // The production 10 s unless a test shortens it: a cold first request to Kestrel can take most of a second.
        return new HttpGatewaySender(http, Options.Create(options), timeout);
    }

    private static OutgoingMessage Sms(string to = "+79001234567") =>
        new("5001", Channel.Sms, to, null, "Анна, ваш код WELCOME-7Q2K", 17, "welcome");

    [Fact]
    public async Task GatewayGetsMessageIdPhoneAndTextAndItsAcceptanceCounts()
    {
        var sender = Sender(o => o.Sms.Url = gatewayUrl + "/202");

        var result = await sender.SendAsync(Sms(), CancellationToken.None);

        Assert.Equal(SendResult.Accepted, result);
        var request = Assert.Single(received);
        Assert.Equal("/202", request.Path);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal(
            ["messageId=5001", "to=+79001234567", "text=Анна, ваш код WELCOME-7Q2K"],
            request.Body.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
    }

    [Theory]
    [InlineData(200, SendOutcome.Accepted)]
    [InlineData(204, SendOutcome.Accepted)]
    [InlineData(400, SendOutcome.Permanent)]
    [InlineData(404, SendOutcome.Permanent)]
    [InlineData(422, SendOutcome.Permanent)]
    [InlineData(408, SendOutcome.Transient)]
    [InlineData(429, SendOutcome.Transient)]
    [InlineData(500, SendOutcome.Transient)]
    [InlineData(503, SendOutcome.Transient)]
    public async Task StatusDecidesTheOutcome(int status, SendOutcome outcome)
    {
        var sender = Sender(o => o.Sms.Url = $"{gatewayUrl}/{status}");

        var result = await sender.SendAsync(Sms(), CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.True(received.Count == 1, result.Error);
        if (outcome != SendOutcome.Accepted)
            Assert.Equal($"HTTP {status}: gateway says {status}", result.Error);
    }

    [Fact]
    public async Task GatewayThatHangsPastTheTimeoutIsTransient()
    {
        var sender = Sender(o => o.Sms.Url = gatewayUrl + "/hang", ShortTimeout);
        var clock = Stopwatch.StartNew();

        var result = await sender.SendAsync(Sms(), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.Contains("no answer", result.Error);
        Assert.Single(received);
        // The timer may fire a tick early; what matters is that it waited about the timeout and not the 10 s default.
        Assert.InRange(clock.Elapsed, ShortTimeout * 0.9, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task CallersCancellationIsThrownNotReportedAsAFailure()
    {
        var sender = Sender(o => o.Sms.Url = gatewayUrl + "/hang", timeout: TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.SendAsync(Sms(), cancel.Token));
    }

    [Fact]
    public async Task GatewayNotListeningIsTransient()
    {
        var sender = Sender(o => o.Sms.Url = $"http://127.0.0.1:{FreePort()}/send");

        var result = await sender.SendAsync(Sms(), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.Contains("ConnectionError", result.Error);
    }

    [Fact]
    public async Task PhoneNotInE164IsPermanentAndNeverSent()
    {
        var sender = Sender(o => o.Sms.Url = gatewayUrl + "/202");

        var result = await sender.SendAsync(Sms(to: "89001234567"), CancellationToken.None);

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
        Assert.Empty(received);
    }

    [Fact]
    public async Task EachChannelGoesToItsOwnGatewayAndPushIsAddressedByCustomer()
    {
        var sender = Sender(o =>
        {
            o.Sms.Url = gatewayUrl + "/500";
            o.Viber.Url = gatewayUrl + "/201";
            o.Telegram.Url = gatewayUrl + "/202";
            o.Push.Url = gatewayUrl + "/200";
        });

        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Sms() with { Channel = Channel.Viber }, CancellationToken.None));
        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Sms() with { Channel = Channel.Telegram }, CancellationToken.None));
        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Sms() with { Channel = Channel.Push, To = "17" }, CancellationToken.None));

        Assert.Equal(["/201", "/202", "/200"], received.Select(r => r.Path));
        Assert.Equal("17", received.Last().Body.GetProperty("to").GetString());
    }

    [Fact]
    public async Task ChannelWithoutUrlIsTransientSoItsMessagesWaitForConfiguration()
    {
        var sender = Sender(_ => { });

        var result = await sender.SendAsync(Sms(), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.Contains("OmniConsole:Messaging:Sms:Url", result.Error);
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
