using OmniConsole.Core;
using OmniConsole.Web.Api;
using OmniConsole.Web.Jobs;
using OmniConsole.Web.Setup;

var builder = WebApplication.CreateBuilder(args);

builder.AddRepositoryDevelopmentSettings();
builder.Services.AddOmniConsoleCore(builder.Configuration);
builder.AddStaffIdentity();
builder.AddUi();
builder.Services.AddTransient<MudBlazor.MudLocalizer, MudBlazorText>(); // MudBlazor's own words (the pager's) in Russian too
builder.AddChannelApi();
builder.AddBackgroundJobs();
builder.AddRateLimits();
builder.AddSecurityBaseline();

var app = builder.Build();

// Migrations, demo accounts and demo data are in place before the first request is answered.
await app.PrepareDatabaseAsync();
// dotnet OmniConsole.Web.dll create-admin --email … [--password …]: the first administrator of a new installation.
if (args.FirstOrDefault() == "create-admin") return await AdminCommand.RunAsync(app, args[1..]);

app.UseOmniConsolePipeline();
// A worker (OmniConsole:Role = Worker) does the background work only: no UI, no API, just whether it is up.
var role = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OmniConsoleOptions>>().Value.Role;
app.MapGet("/health", () => Results.Ok(new { status = "ok", role = role.ToString() })).AllowAnonymous().ExcludeFromDescription();
if (role != InstanceRole.Worker)
{
    app.MapChannelApi();
    app.MapUi();
}

app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
