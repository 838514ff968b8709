using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.DemoData;

/// <summary>
/// Fills an empty OmniConsole database with a realistic, deterministic data set: stores, catalogue, campaigns and
/// customers with 18 months of omnichannel history and consistent orders, bonus lots, ledger and promo codes.
/// Customers are generated one at a time on one thread while another writes the previous ones, so memory stays
/// flat however large the set. Rows are written by the database family's bulk loader on the context's connection
/// (SQLite and PostgreSQL).
/// </summary>
public static class DataSetGenerator
{
    /// <summary>Customers handed from the generating thread to the writing thread at a time.</summary>
    private const int CustomersPerBatch = 250;

    /// <summary>Rows per transaction: amortises commits while keeping the journal small.</summary>
    private const int RowsPerTransaction = 50_000;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    public static async Task<GenerationResult> GenerateAsync(OmniConsoleDbContext db, GenerationOptions options,
        IProgress<GenerationProgress>? progress = null, CancellationToken ct = default)
    {
        if (options.Customers < DemoShowcase.Phones.Count)
            throw new ArgumentOutOfRangeException(nameof(options), $"At least {DemoShowcase.Phones.Count} customers (the showcase ones) are generated.");
        if (options.Events < 0) throw new ArgumentOutOfRangeException(nameof(options), "The number of events cannot be negative.");

        var stopwatch = Stopwatch.StartNew();
        var now = UtcWholeSeconds(options.NowUtc);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await db.Customers.AnyAsync(ct))
                throw new InvalidOperationException("The database already has customers; data is generated into an empty database only.");
            var policy = (await LoyaltyRules.LoadAsync(db, options.MaxRedeemShare, ct)).Policy;
            var catalog = await DemoCatalog.LoadAsync(db, now, ct);
            var ids = await IdSequences.AfterExistingAsync(db, ct);
            var tables = new GeneratedTables(db.Model);

            var loader = await db.Family().StartBulkLoadAsync(db, tables.All, tables.PerCustomer, ct);
            await using (loader)
            {
                var totals = new Totals();
                foreach (var store in catalog.NewStores) totals.Add(loader, new(tables.Stores, tables.Stores.Encode(store)));
                foreach (var product in catalog.NewProducts) totals.Add(loader, new(tables.Products, tables.Products.Encode(product)));
                foreach (var campaign in catalog.NewCampaigns) totals.Add(loader, new(tables.Campaigns, tables.Campaigns.Encode(campaign)));

                var population = new PopulationGenerator(options, now, catalog, policy, ids);
                var audiences = await WriteAsync(population, tables, loader, totals, stopwatch, progress, ct);

                await loader.CompleteAsync(index => progress?.Report(totals.Progress(GenerationStage.Indexing, stopwatch, index)), ct);
                // The rules' running totals, as ingestion keeps them: once, over the lots just written.
                await db.Database.ExecuteSqlRawAsync(
                    """UPDATE "EarningRules" SET "AccruedMinor" = COALESCE((SELECT SUM("AmountMinor") FROM "BonusLots" WHERE "RuleId" = "EarningRules"."Id"), 0)""", ct);
                // Each past campaign's audience: the customers its messages reached.
                foreach (var (campaignId, audience) in audiences)
                    await db.Campaigns.Where(c => c.Id == campaignId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Audience, audience), ct);
                progress?.Report(totals.Progress(GenerationStage.Done, stopwatch));
                return new GenerationResult(totals.Customers, totals.Events, totals.Rows, stopwatch.Elapsed);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Generates on a worker thread and writes here, a bounded number of batches apart; the customers each campaign reached.</summary>
    private static async Task<Dictionary<string, int>> WriteAsync(PopulationGenerator population, GeneratedTables tables, IBulkLoader loader, Totals totals,
        Stopwatch stopwatch, IProgress<GenerationProgress>? progress, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var audiences = new Dictionary<string, int>(StringComparer.Ordinal);
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new Batch();
                foreach (var customer in population.Generate(stop.Token))
                {
                    tables.Encode(customer, batch.Rows);
                    foreach (var campaignId in customer.Events.Select(e => e.CampaignId).OfType<string>().Distinct())
                        audiences[campaignId] = audiences.GetValueOrDefault(campaignId) + 1;
                    batch.Customers++;
                    batch.Events += customer.Events.Count;
                    if (batch.Customers < CustomersPerBatch) continue;
                    await batches.Writer.WriteAsync(batch, stop.Token);
                    batch = new Batch();
                }
                if (batch.Customers > 0) await batches.Writer.WriteAsync(batch, stop.Token);
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, stop.Token);

        try
        {
            var lastReport = TimeSpan.Zero;
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                foreach (var row in batch.Rows) totals.Add(loader, row);
                totals.Customers += batch.Customers;
                totals.Events += batch.Events;
                if (loader.RowsInTransaction >= RowsPerTransaction) await loader.CommitAsync(ct);
                if (stopwatch.Elapsed - lastReport >= ProgressInterval)
                {
                    lastReport = stopwatch.Elapsed;
                    progress?.Report(totals.Progress(GenerationStage.Loading, stopwatch));
                }
            }
        }
        finally
        {
            // If writing failed, the generating thread must not wait forever on a full channel.
            await stop.CancelAsync();
            await producer;
        }
        return audiences;
    }

    /// <summary>Generated times are whole seconds, like most channels send them.</summary>
    private static DateTime UtcWholeSeconds(DateTime t)
    {
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
    }

    private sealed class Batch
    {
        public List<EncodedRow> Rows { get; } = new(CustomersPerBatch * 64);
        public int Customers { get; set; }
        public long Events { get; set; }
    }

    private sealed class Totals
    {
        public long Customers { get; set; }
        public long Events { get; set; }
        public long Rows { get; private set; }

        public void Add(IBulkLoader loader, EncodedRow row)
        {
            loader.Insert(row);
            Rows++;
        }

        public GenerationProgress Progress(GenerationStage stage, Stopwatch stopwatch, string? detail = null) =>
            new(stage, Customers, Events, Rows, stopwatch.Elapsed, detail);
    }
}
