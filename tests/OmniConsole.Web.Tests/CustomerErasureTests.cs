using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;

namespace OmniConsole.Web.Tests;

/// <summary>A customer's request to be forgotten: personal data gone, history kept for totals, audited, identifiers freed.</summary>
public sealed class CustomerErasureTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private CustomerErasure Erasure => app.Services.GetRequiredService<CustomerErasure>();

    [Fact]
    public async Task ErasingRemovesPersonalDataAndNotesButKeepsPurchasesPointsAndTotals()
    {
        var (phone, email) = (Ev.NewPhone(), $"erase-{Guid.NewGuid():N}@example.ru");
        var at = app.Clock.GetUtcNow().AddDays(-3);
        var customer = new { phone, email, firstName = "Ольга", lastName = "Стёркина", birthDate = "1988-03-14", city = "Казань" };
        var results = await app.PostAsync(new object[]
        {
            Ev.Purchase(customer, 4000m, at),
            new Dictionary<string, object?> { ["eventId"] = Ev.NewId(), ["type"] = "call", ["channel"] = "callcenter", ["occurredAt"] = Ev.At(at.AddHours(1)),
                ["customer"] = new { phone }, ["text"] = "Ольга просила перезвонить на +7 916 000-00-00" },
        });
        var id = long.Parse(results[0].CustomerId!);
        Customer before;
        using (var scope = app.Services.CreateScope())
            before = await scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>().Customers.AsNoTracking().SingleAsync(c => c.Id == id);

        Assert.Equal(ErasureOutcome.ReasonRequired, await Erasure.EraseAsync(id, "  ", "admin@test", CancellationToken.None));
        Assert.Equal(ErasureOutcome.Done, await Erasure.EraseAsync(id, "letter of 2 December", "admin@test", CancellationToken.None));
        Assert.Equal(ErasureOutcome.AlreadyErased, await Erasure.EraseAsync(id, "again", "admin@test", CancellationToken.None));

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
            var after = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Null(after.FirstName);
            Assert.Null(after.LastName);
            Assert.Null(after.BirthDate);
            Assert.Null(after.City);
            Assert.Equal("", after.SearchName);
            Assert.NotNull(after.ErasedAtUtc);
            Assert.Equal(before.LifetimeValueMinor, after.LifetimeValueMinor);
            Assert.Equal(before.PurchaseCount, after.PurchaseCount);
            Assert.False(await db.CustomerIdentifiers.AnyAsync(i => i.CustomerId == id));
            Assert.False(await db.CustomerConsents.AnyAsync(c => c.CustomerId == id));
            Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == id));
            Assert.True(await db.BonusLots.AnyAsync(l => l.CustomerId == id));
            var events = await db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == id).ToListAsync();
            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.Null(e.Payload.Text));
            Assert.All(events, e => Assert.DoesNotContain("Ольга", e.Summary));
            Assert.NotNull(events.Single(e => e.Type == Core.Timeline.EventType.Purchase).Payload.Order); // the purchase keeps its lines
            var audit = await db.AuditEntries.SingleAsync(a => a.CustomerId == id && a.Action == AuditAction.CustomerErased);
            Assert.Equal(("admin@test", "letter of 2 December"), (audit.Actor, audit.Details));
        }

        // The phone no longer finds anyone; the next event with it is a new customer, not the erased one.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api().GetAsync($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(phone)}")).StatusCode);
        var next = await app.PostAsync(new[] { Ev.View(new { phone }, app.Clock.GetUtcNow()) });
        Assert.NotEqual(id.ToString(), next[0].CustomerId);
    }

    /// <summary>
    /// Issue 23, finding 8: after an erasure no copy of the name, phone or e-mail is left anywhere — not in the outbox,
    /// a ledger note, the audit's details (the entries stay), a merged row, an export file, nor in SQLite's free space
    /// or write-ahead log. The whole database file and the export folder are searched byte by byte.
    /// </summary>
    [Fact]
    public async Task ErasureLeavesNoCopyInTheDatabaseFileOrTheExportFolder()
    {
        var tag = new string(Enumerable.Range(0, 5).Select(_ => "бвгджзклмнпрстфхцчшщ"[Random.Shared.Next(20)]).ToArray());
        var (first, last, phone, email) = ("Зинаида", "Стиралова" + tag, Ev.NewPhone(), $"zina-{Guid.NewGuid():N}@example.ru");
        var (otherFirst, otherEmail) = ("Зоя" + tag, $"zoya-{Guid.NewGuid():N}@example.ru");
        var city = "Стиральск-" + tag;
        var at = app.Clock.GetUtcNow().AddDays(-2);
        var created = await app.PostAsync(new object[]
        {
            new Dictionary<string, object?> { ["eventId"] = Ev.NewId(), ["type"] = "profile_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(at),
                ["customer"] = new { phone, email, firstName = first, lastName = last, city } },
            new Dictionary<string, object?> { ["eventId"] = Ev.NewId(), ["type"] = "consent_changed", ["channel"] = "online", ["occurredAt"] = Ev.At(at.AddMinutes(1)),
                ["customer"] = new { phone }, ["consents"] = new Dictionary<string, bool> { ["email"] = true, ["sms"] = true } },
            Ev.Purchase(new { phone }, 2500m, at.AddMinutes(2)),
            new Dictionary<string, object?> { ["eventId"] = Ev.NewId(), ["type"] = "profile_updated", ["channel"] = "app", ["occurredAt"] = Ev.At(at.AddMinutes(3)),
                ["customer"] = new { email = otherEmail, firstName = otherFirst, lastName = last } },
        });
        // One event names both: one row is merged into the other (an audit entry names it).
        var id = long.Parse((await app.PostAsync(new[] { Ev.View(new { phone, email = otherEmail }, at.AddMinutes(4)) }))[0].CustomerId!);
        Assert.Contains(created[3].CustomerId == id.ToString() ? created[0].CustomerId : created[3].CustomerId, created.Select(c => c.CustomerId));
        var adjusted = await app.Services.GetRequiredService<Core.Loyalty.BonusAdjustments>()
            .AdjustAsync(id, new Core.Common.Money(150_00), $"Компенсация {first} {last}, тел. {phone}", "admin@test", CancellationToken.None);
        Assert.Equal(Core.Loyalty.AdjustmentOutcome.Done, adjusted.Outcome);
        var audit = app.Services.GetRequiredService<AuditLog>();
        await audit.RecordBatchedAsync("consultant@test", AuditAction.CustomersSearched, id, $"lookup: {phone} (1)");
        await audit.RecordBatchedAsync("consultant@test", AuditAction.CustomersSearched, null, $"list: name={last}, email={email} (1)");

        // A campaign sent her an e-mail (the outbox keeps the address), and a finished export lists her.
        app.Clock.Advance(TimeSpan.FromMinutes(2)); // the segment vocabulary learns the city
        var segment = await app.Services.GetRequiredService<Core.Segments.SegmentService>().CreateAsync("erasure " + tag, null,
            Core.Segments.SegmentService.ParseOrThrow($$"""{"attr":"city","op":"eq","value":"{{city}}"}"""), "test", default);
        var campaigns = app.Services.GetRequiredService<Core.Campaigns.CampaignService>();
        var campaign = await campaigns.CreateAsync(new Core.Campaigns.CampaignInput
        {
            Name = "Letter " + tag, SegmentId = segment.Segment.Id,
            Steps = [new Core.Campaigns.CampaignStep { Channel = "email", Subject = "Здравствуйте, {{firstName}}", Body = "<p>{{firstName}}, <a href=\"{{unsubscribeUrl}}\">x</a></p>" }],
        }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        for (var i = 0; i < 10; i++)
        {
            await app.Services.GetRequiredService<Core.Campaigns.CampaignFlow>().RunOnceAsync(default);
            await app.Services.GetRequiredService<Core.Campaigns.OutboxDispatcher>().RunOnceAsync(default);
        }
        var exports = app.Services.GetRequiredService<Core.Exports.ExportService>();
        var job = (await exports.QueueAsync(segment.Segment.Id, "admin@test", fullContacts: true, CancellationToken.None))!;
        for (var i = 0; i < 300 && (await exports.GetAsync(job.Id, null, default))!.Status != Core.Exports.ExportStatus.Completed; i++) await Task.Delay(50);
        Assert.True(File.Exists(exports.PathOf(job.Id)));

        string[] personal = [first, last, otherFirst, phone, phone[1..], email, otherEmail];
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
            Assert.True(await db.Outbox.AnyAsync(m => m.CustomerId == id && m.Address == email), "the test's premise: the outbox holds her address");
        }
        Assert.Contains(personal, p => Found(p) is not null); // the search below can see them

        Assert.Equal(ErasureOutcome.Done, await Erasure.EraseAsync(id, "letter of 3 December", "admin@test", CancellationToken.None));

        foreach (var value in personal) Assert.True(Found(value) is null, $"'{value}' is still in {Found(value)}");
        Assert.Equal(Core.Exports.ExportStatus.Expired, (await exports.GetAsync(job.Id, null, default))!.Status);
        using (var scope = app.Services.CreateScope())
        {
            // The facts stay: what was done, by whom, when and to whom.
            var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
            var entries = await db.AuditEntries.AsNoTracking().Where(a => a.CustomerId == id).ToListAsync();
            Assert.Contains(entries, a => a.Action == AuditAction.CustomersMerged && a.Details!.Contains("merged into #" + id));
            Assert.Contains(entries, a => a.Action == AuditAction.BonusAdjusted && a.Details!.StartsWith("Points adjusted by +150"));
            Assert.Contains(entries, a => a.Action == AuditAction.CustomersSearched && a.Details!.StartsWith("lookup: ") && a.Actor == "consultant@test");
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditAction.CustomersSearched && a.CustomerId == null && a.Details!.StartsWith("list: name=")));
            Assert.Equal(15000, await db.BonusLedger.Where(e => e.CustomerId == id && e.Kind == Core.Loyalty.BonusEntryKind.Adjustment).SumAsync(e => e.AmountMinor));
            Assert.Equal(1, await db.Outbox.CountAsync(m => m.CustomerId == id));
        }

        string? Found(string value)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(value);
            var path = app.Services.GetRequiredService<IConfiguration>().GetConnectionString("OmniConsole")!["Data Source=".Length..];
            foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                if (copy.ToArray().AsSpan().IndexOf(bytes) >= 0) return file;
            }
            foreach (var file in Directory.Exists(exports.Folder) ? Directory.GetFiles(exports.Folder, "*", SearchOption.AllDirectories) : [])
            {
                using var zip = System.IO.Compression.ZipFile.OpenRead(file);
                foreach (var entry in zip.Entries)
                {
                    using var reader = new StreamReader(entry.Open());
                    if (reader.ReadToEnd().Contains(value, StringComparison.Ordinal)) return $"{file}:{entry.FullName}";
                }
            }
            return null;
        }
    }

    [Fact]
    public async Task AnUnknownOrMergedCustomerIsNotFound()
    {
        Assert.Equal(ErasureOutcome.NotFound, await Erasure.EraseAsync(long.MaxValue, "request", "admin@test", CancellationToken.None));
        Assert.Equal(ErasureOutcome.ReasonTooLong, await Erasure.EraseAsync(1, new string('x', CustomerErasure.MaxReasonLength + 1), "admin@test", CancellationToken.None));
    }
}
