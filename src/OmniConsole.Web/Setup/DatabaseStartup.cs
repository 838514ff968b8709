using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using OmniConsole.Core;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;
using OmniConsole.DemoData;

namespace OmniConsole.Web.Setup;

public static class DatabaseStartup
{
    /// <summary>The demo accounts' published password (12 characters at least, as every staff password).</summary>
    public const string DemoPassword = "Demo#2026omni";
    /// <summary>What it was before staff passwords needed 12 characters; demo accounts that still have it move to the new one.</summary>
    private const string PreviousDemoPassword = "Demo#2026";

    /// <summary>The demo staff accounts: one per role, created only when OmniConsole:SeedDemoData is true.</summary>
    public static readonly IReadOnlyList<(string Email, string Role, string Name)> DemoAccounts =
    [
        ("admin@omniconsole.demo", Roles.Administrator, "Анна Администратор"),
        (DemoShowcase.Marketer, Roles.Marketer, "Марина Маркетолог"),
        ("consultant@omniconsole.demo", Roles.Consultant, "Константин Консультант"),
        ("manager@omniconsole.demo", Roles.Manager, "Михаил Менеджер"),
    ];

    /// <summary>
    /// Creates the database when missing, applies pending migrations, makes sure the roles exist, and (when asked) seeds
    /// demo accounts and demo data. Instances starting together on one database take turns through the family's
    /// startup lock, so one migrates and seeds and the others find it done.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var log = services.GetRequiredService<ILogger<OmniConsoleDbContext>>();
        var options = services.GetRequiredService<IOptions<OmniConsoleOptions>>().Value;
        var db = services.GetRequiredService<OmniConsoleDbContext>();
        var family = db.Family();
        var connectionString = db.Database.GetConnectionString()!;
        await family.EnsureDatabaseExistsAsync(connectionString, CancellationToken.None);
        await using var startup = await family.StartupLockAsync(connectionString, CancellationToken.None);

        // On a new database every migration is pending (asking the history table first would log a failed query).
        var pending = await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().ExistsAsync()
            ? (await db.Database.GetPendingMigrationsAsync()).ToList()
            : db.Database.GetMigrations().ToList();
        await db.Database.MigrateAsync();
        if (Core.Customers.SearchNameBackfill.IsNeededAfter(pending)
            && await Core.Customers.SearchNameBackfill.RunAsync(db, CancellationToken.None) is > 0 and var keyed)
            log.LogInformation("Name search keys filled in for {Count} customers", keyed);

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        if (!options.SeedDemoData) return;

        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        // Demo accounts, with their published password, never join real staff on a database that has some.
        var demoEmails = DemoAccounts.Select(a => a.Email.ToUpperInvariant()).ToList();
        var realStaff = await users.Users.AnyAsync(u => !demoEmails.Contains(u.NormalizedEmail!));
        if (realStaff) log.LogWarning("Demo accounts are not added: this database has staff accounts of its own");
        foreach (var (email, role, name) in realStaff ? [] : DemoAccounts)
        {
            if (await users.FindByEmailAsync(email) is { } existing)
            {
                if (await users.CheckPasswordAsync(existing, PreviousDemoPassword))
                    await users.ResetPasswordAsync(existing, await users.GeneratePasswordResetTokenAsync(existing), DemoPassword);
                continue;
            }
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            var result = await users.CreateAsync(user, DemoPassword);
            if (!result.Succeeded) throw new InvalidOperationException($"Demo account {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            await users.AddToRoleAsync(user, role);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var seeder = new DemoDataSeeder();
        if (await seeder.SeedIfEmptyAsync(db, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, CancellationToken.None))
        {
            await ActivatorUtilities.CreateInstance<DemoLoyalty>(services).SetUpAsync(CancellationToken.None);
            await ActivatorUtilities.CreateInstance<DemoCampaigns>(services).SetUpAsync(CancellationToken.None);
            log.LogInformation("Demo data seeded in {Seconds:0.0} s", started.Elapsed.TotalSeconds);
        }
    }
}
