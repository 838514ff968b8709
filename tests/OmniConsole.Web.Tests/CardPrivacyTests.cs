using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>Issue 16: the card's first (prerendered) response holds no personal data, so no view escapes the audit.</summary>
public sealed class CardPrivacyTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    [Fact]
    public async Task ThePrerenderedCardHoldsNoPersonalDataAndWritesNoViewOfItsOwn()
    {
        var results = await _app.PostAsync(new object[]
        {
            new { eventId = "v1", type = "store_visit", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-20T12:00:00+03:00",
                customer = new { phone = "+79161112233", email = "olga.private@example.ru", firstName = "Ольга", lastName = "Приватная" } },
        });
        await _app.CreateStaffAsync("consultant@example.com", "Consult-2026!", Roles.Consultant);
        var client = _app.Browser();
        var signIn = await OmniConsoleFactory.SignInAsync(client, "consultant@example.com", "Consult-2026!");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var card = await client.GetAsync($"/customers/{results[0].CustomerId}");
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        var html = await card.Content.ReadAsStringAsync();
        foreach (var secret in new[] { "Приватная", "olga.private", "916 111", "79161112233" }) Assert.DoesNotContain(secret, html);

        using var read = _app.Services.CreateScope();
        var db = read.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == Core.Audit.AuditAction.CustomerViewed));
    }

    public void Dispose() => _app.Dispose();
}
