using Microsoft.EntityFrameworkCore;

namespace OmniConsole.DemoData;

/// <summary>
/// Fills an empty database with the demo data set (OmniConsole:SeedDemoData): 5,000 customers with about 125,000
/// timeline events, the <see cref="DemoShowcase"/> customers among them. Staff accounts are the web app's business.
/// </summary>
public class DemoDataSeeder
{
    public const int DemoCustomers = 5_000;
    public const long DemoEvents = 125_000;

    /// <summary>Generates the demo set if the database has no customers yet; true when it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(OmniConsoleDbContext db, DateTime nowUtc, CancellationToken ct)
    {
        if (await db.Customers.AnyAsync(ct)) return false;
        await DataSetGenerator.GenerateAsync(db, new GenerationOptions
        {
            Customers = DemoCustomers,
            Events = DemoEvents,
            NowUtc = nowUtc,
            CampaignMessages = true,
        }, progress: null, ct);
        return true;
    }
}
