using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>A bUnit context for the customer pages (list, lookup) on the app's own services and database, rendered as live.</summary>
internal static class CustomerPagesContext
{
    /// <param name="role">signed in with this role (and an e-mail made from it), or anonymous when null</param>
    public static BunitContext Create(OmniConsoleFactory app, string? role = null)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CustomerList>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Segments.SegmentService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Loyalty.TierService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CustomerSearch>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Audit.AuditLog>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        if (role is not null) ctx.AddAuthorization().SetAuthorized($"{role.ToLowerInvariant()}@omniconsole.demo").SetRoles(role);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // as live: searches are audited
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("en-US");
        ctx.Render<MudBlazor.MudPopoverProvider>();
        return ctx;
    }
}
