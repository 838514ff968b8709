using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Tests;

/// <summary>Every condition of the contract on hand-built customers whose membership is known (see <see cref="SegmentFixture"/>).</summary>
public sealed class SegmentConditionTests(SegmentFixture f) : IClassFixture<SegmentFixture>
{
    private async Task<string[]> Members(string json)
    {
        var page = await f.Segments.MembersAsync(SegmentService.ParseOrThrow(json), null, 1000, CancellationToken.None);
        var names = f.Ids.ToDictionary(p => p.Value, p => p.Key);
        return page.Items.Select(m => names[m.CustomerId]).Order().ToArray();
    }

    [Theory]
    [InlineData("""{"attr":"gender","op":"eq","value":"female"}""", "anna,vera")]
    [InlineData("""{"attr":"gender","op":"neq","value":"female"}""", "boris")]
    [InlineData("""{"not":{"attr":"gender","op":"eq","value":"female"}}""", "boris,gleb")]
    [InlineData("""{"attr":"gender","op":"in","value":["male","female"]}""", "anna,boris,vera")]
    [InlineData("""{"attr":"city","op":"eq","value":" москва "}""", "anna,vera")]
    [InlineData("""{"attr":"city","op":"in","value":["Санкт-Петербург"]}""", "boris")]
    [InlineData("""{"attr":"city","op":"neq","value":"Москва"}""", "boris")]
    [InlineData("""{"not":{"attr":"city","op":"eq","value":"Москва"}}""", "boris,gleb")]
    [InlineData("""{"attr":"age","op":"gte","value":30}""", "anna")]
    [InlineData("""{"attr":"age","op":"between","value":[20,30]}""", "boris")]
    [InlineData("""{"attr":"age","op":"eq","value":35}""", "anna")]
    [InlineData("""{"not":{"attr":"age","op":"gte","value":30}}""", "boris,gleb,vera")]
    [InlineData("""{"attr":"birthdayInDays","op":"lte","value":7}""", "anna")]
    [InlineData("""{"attr":"birthdayInDays","op":"eq","value":4}""", "anna")]
    [InlineData("""{"attr":"birthdayInDays","op":"gt","value":200}""", "boris")]
    [InlineData("""{"attr":"registeredDaysAgo","op":"gte","value":100}""", "anna")]
    [InlineData("""{"attr":"registeredDaysAgo","op":"lt","value":5}""", "gleb")]
    [InlineData("""{"attr":"registeredDaysAgo","op":"between","value":[10,50]}""", "boris,vera")]
    [InlineData("""{"attr":"hasIdentifier","op":"eq","value":"email"}""", "anna,vera")]
    [InlineData("""{"attr":"hasIdentifier","op":"eq","value":"phone"}""", "anna,boris,gleb")]
    [InlineData("""{"attr":"hasIdentifier","op":"eq","value":"cardNumber"}""", "")]
    [InlineData("""{"attr":"consent","op":"eq","value":"email"}""", "anna")]
    [InlineData("""{"attr":"consent","op":"eq","value":"sms"}""", "boris")]
    [InlineData("""{"not":{"attr":"consent","op":"eq","value":"email"}}""", "boris,gleb,vera")]
    [InlineData("""{"attr":"purchases","op":"gte","value":1}""", "anna,boris")]
    [InlineData("""{"attr":"purchases","op":"eq","value":0}""", "gleb,vera")]
    [InlineData("""{"attr":"purchases","op":"gt","value":0}""", "anna,boris")]
    [InlineData("""{"attr":"purchases","op":"neq","value":0}""", "anna,boris")]
    [InlineData("""{"attr":"purchases","op":"lte","value":0}""", "gleb,vera")]
    [InlineData("""{"attr":"purchases","op":"gte","value":2}""", "")]
    [InlineData("""{"attr":"purchases","withinDays":30,"op":"gte","value":1}""", "boris")]
    [InlineData("""{"attr":"purchases","withinDays":30,"op":"lt","value":1}""", "anna,gleb,vera")]
    [InlineData("""{"attr":"purchases","category":"electronics","op":"gte","value":1}""", "anna")]
    [InlineData("""{"attr":"purchases","brand":"ZARA","op":"eq","value":1}""", "boris")]
    [InlineData("""{"attr":"purchases","category":"Clothes","brand":"Acme","op":"gte","value":1}""", "")]
    [InlineData("""{"attr":"purchases","channel":"online","op":"gte","value":1}""", "boris")]
    [InlineData("""{"attr":"purchases","storeCode":"msk-01","op":"gte","value":1}""", "anna")]
    [InlineData("""{"attr":"spent","op":"gte","value":5000}""", "anna")]
    [InlineData("""{"attr":"spent","withinDays":30,"op":"between","value":[1999.99,2000]}""", "boris")]
    [InlineData("""{"attr":"spent","channel":"online","op":"gt","value":2500}""", "")]
    [InlineData("""{"attr":"spent","op":"lt","value":100}""", "gleb,vera")]
    [InlineData("""{"attr":"lastPurchaseDaysAgo","op":"gte","value":180}""", "anna")]
    [InlineData("""{"attr":"lastPurchaseDaysAgo","op":"lt","value":30}""", "boris")]
    [InlineData("""{"not":{"attr":"lastPurchaseDaysAgo","op":"lt","value":30}}""", "anna,gleb,vera")]
    [InlineData("""{"attr":"lastPurchaseDaysAgo","channel":"online","op":"lte","value":10}""", "boris")]
    [InlineData("""{"attr":"lastPurchaseDaysAgo","channel":"store","op":"lte","value":10}""", "")]
    [InlineData("""{"attr":"events","type":"product_viewed","category":"electronics","withinDays":30,"op":"gte","value":1}""", "anna")]
    [InlineData("""{"attr":"events","type":"product_viewed","category":"Electronics","withinDays":60,"op":"gte","value":1}""", "anna,vera")]
    [InlineData("""{"attr":"events","type":"product_viewed","channel":"online","op":"gte","value":1}""", "vera")]
    [InlineData("""{"attr":"events","type":"store_visit","op":"gte","value":1}""", "vera")]
    [InlineData("""{"attr":"events","type":"message_opened","campaignId":"spring","op":"gte","value":1}""", "vera")]
    [InlineData("""{"attr":"events","type":"cart_updated","category":"shoes","op":"eq","value":1}""", "boris")]
    [InlineData("""{"attr":"events","type":"ad_click","op":"eq","value":0}""", "anna,boris,vera")]
    [InlineData("""{"attr":"events","type":"ad_click","op":"lt","value":1}""", "anna,boris,vera")]
    [InlineData("""{"attr":"events","type":"store_visit","op":"neq","value":0}""", "vera")]
    [InlineData("""{"attr":"channelsUsed","op":"gte","value":2}""", "anna,vera")]
    [InlineData("""{"attr":"channelsUsed","withinDays":7,"op":"gte","value":2}""", "vera")]
    [InlineData("""{"attr":"channelsUsed","op":"eq","value":1}""", "boris,gleb")]
    [InlineData("""{"attr":"cartAbandonedHours","op":"gte","value":24}""", "boris")]
    [InlineData("""{"attr":"cartAbandonedHours","op":"lt","value":24}""", "")]
    [InlineData("""{"attr":"tier","op":"eq","value":"BASE"}""", "anna,boris,gleb,vera")]
    [InlineData("""{"attr":"tier","op":"eq","value":"gold"}""", "")]
    [InlineData("""{"attr":"bonusActive","op":"gte","value":500}""", "anna")]
    [InlineData("""{"attr":"bonusActive","op":"eq","value":0}""", "boris,gleb,vera")]
    [InlineData("""{"attr":"bonusPending","op":"eq","value":100}""", "boris")]
    [InlineData("""{"attr":"bonusExpiring","withinDays":180,"op":"gt","value":0}""", "anna")]
    [InlineData("""{"attr":"bonusExpiring","withinDays":30,"op":"gt","value":0}""", "")]
    public async Task ConditionSelectsExactlyTheCustomersItDescribes(string definition, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order().ToArray(), await Members(definition));

    [Fact]
    public async Task GroupsNestAndCombine()
    {
        Assert.Equal(["anna"], await Members("""
            { "all": [ { "attr": "gender", "op": "eq", "value": "female" },
                       { "attr": "city", "op": "eq", "value": "Москва" },
                       { "attr": "consent", "op": "eq", "value": "email" },
                       { "attr": "events", "type": "product_viewed", "category": "Electronics", "withinDays": 30, "op": "gte", "value": 1 },
                       { "not": { "attr": "purchases", "category": "Electronics", "withinDays": 30, "op": "gte", "value": 1 } } ] }
            """));
        Assert.Equal(["boris", "gleb"], await Members("""{"any":[{"attr":"gender","op":"eq","value":"male"},{"not":{"any":[{"attr":"gender","op":"eq","value":"female"},{"attr":"purchases","op":"gte","value":1}]}}]}"""));
        // Nine levels deep.
        var deep = """{"attr":"gender","op":"eq","value":"female"}""";
        for (var i = 0; i < 4; i++) deep = "{\"all\":[{\"not\":{\"not\":" + deep + "}}]}";
        Assert.Equal(["anna", "vera"], await Members(deep));
    }

    private static string InSegment(int id) => $"{{\"attr\":\"inSegment\",\"op\":\"eq\",\"value\":{id}}}";

    [Fact]
    public async Task SegmentsOfSegmentsAndCyclesAreRejected()
    {
        var women = await f.Segments.CreateAsync("Women", null, SegmentService.ParseOrThrow("""{"attr":"gender","op":"eq","value":"female"}"""), "test", CancellationToken.None);
        var id = women.Segment.Id;
        Assert.Equal(["anna", "vera"], await Members(InSegment(id)));
        Assert.Equal(["boris", "gleb"], await Members("{\"not\":" + InSegment(id) + "}"));

        var buyers = await f.Segments.CreateAsync("Women who bought", null, SegmentService.ParseOrThrow("{\"all\":[" + InSegment(id) + ",{\"attr\":\"purchases\",\"op\":\"gte\",\"value\":1}]}"), "test", CancellationToken.None);
        Assert.Equal(["anna"], await Members(InSegment(buyers.Segment.Id)));

        // Women → Women who bought → Women: a cycle, refused, and version 1 stays.
        var cycle = await Assert.ThrowsAsync<SegmentValidationException>(() => f.Segments.UpdateAsync(id, "Women", null,
            SegmentService.ParseOrThrow("{\"any\":[{\"attr\":\"gender\",\"op\":\"eq\",\"value\":\"female\"}," + InSegment(buyers.Segment.Id) + "]}"), "test", CancellationToken.None));
        Assert.Contains("cycle", cycle.Errors.Single().Message);
        Assert.Equal("definition.any[1].value", cycle.Errors.Single().Field);
        Assert.Equal(1, (await f.Segments.GetAsync(id, CancellationToken.None))!.Segment.Version);

        await Assert.ThrowsAsync<SegmentInUseException>(() => f.Segments.ArchiveAsync(id, "test", CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<SegmentValidationException>(() => Members("""{"attr":"inSegment","op":"eq","value":999}"""));
        Assert.Equal("definition.value", unknown.Errors.Single().Field);
    }

    [Fact]
    public async Task CompiledQueryIsOneSqlStatementThatGroupsInTheDatabase()
    {
        await using var db = f.Db.Open();
        var query = await f.Segments.MembersQueryAsync(db, SegmentService.ParseOrThrow("""
            {"all":[{"attr":"city","op":"eq","value":"Москва"},{"attr":"spent","withinDays":90,"op":"gte","value":100},
                    {"not":{"attr":"events","type":"product_viewed","category":"Electronics","withinDays":30,"op":"gte","value":1}}]}
            """), null, CancellationToken.None);
        var sql = query.ToQueryString();
        Assert.Contains("GROUP BY", sql);
        Assert.Contains("HAVING", sql);
        Assert.Contains("\"CustomerEventFacets\"", sql);
        // EF throws on anything it would have to evaluate in memory; running it proves the whole predicate is SQL.
        Assert.Equal(0, await query.CountAsync());
    }

    [Theory]
    [InlineData("""{"attr":"colour","op":"eq","value":"red"}""", "definition.attr")]
    [InlineData("""{"all":[{"attr":"age","op":"in","value":[1]}]}""", "definition.all[0].op")]
    [InlineData("""{"all":[{"attr":"gender","op":"eq","value":"female"},{"attr":"age","op":"gte","value":"thirty"}]}""", "definition.all[1].value")]
    [InlineData("""{"attr":"events","op":"gte","value":1}""", "definition.type")]
    [InlineData("""{"attr":"events","type":"teleport","op":"gte","value":1}""", "definition.type")]
    [InlineData("""{"attr":"spent","category":"x","op":"gte","value":1}""", "definition.category")]
    [InlineData("""{"attr":"purchases","withinDays":0,"op":"gte","value":1}""", "definition.withinDays")]
    [InlineData("""{"attr":"spent","op":"gte","value":1.005}""", "definition.value")]
    [InlineData("""{"attr":"age","op":"between","value":[40,20]}""", "definition.value")]
    [InlineData("""{"any":[]}""", "definition.any")]
    [InlineData("""{"not":{"attr":"consent","op":"eq","value":"store"}}""", "definition.not.value")]
    [InlineData("""[1,2]""", "definition")]
    public void BadDefinitionsNameTheField(string json, string field)
    {
        var result = SegmentDefinition.Parse(json);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field);
    }

    [Fact]
    public async Task CountIsMembersAndAllCustomersAndReachNeedsConsentAndIdentifier()
    {
        var count = await f.Segments.CountAsync(SegmentService.ParseOrThrow("""{"attr":"gender","op":"eq","value":"female"}"""), CancellationToken.None);
        Assert.Equal(new SegmentService.Count(2, 4), count);
        var reach = await f.Segments.ReachAsync(SegmentService.ParseOrThrow("""{"attr":"registeredDaysAgo","op":"gte","value":0}"""), CancellationToken.None);
        Assert.Equal(4, reach.Members);
        Assert.Equal(1, reach.ByChannel[Common.Channel.Email]); // Anna; Vera withdrew her consent
        Assert.Equal(1, reach.ByChannel[Common.Channel.Sms]);   // Boris
        Assert.Equal(0, reach.ByChannel[Common.Channel.Push]);  // Anna has the app but no push consent
    }
}

/// <summary>Definitions stay relative: "in the last 30 days" moves with the clock.</summary>
public sealed class SegmentRelativeTimeTests
{
    [Fact]
    public async Task WindowsMoveWithNow()
    {
        using var f = new SegmentFixture();
        var viewed = SegmentService.ParseOrThrow("""{"attr":"events","type":"product_viewed","category":"Electronics","withinDays":30,"op":"gte","value":1}""");
        var abandoned = SegmentService.ParseOrThrow("""{"attr":"cartAbandonedHours","op":"gte","value":48}""");
        Assert.Equal(1, (await f.Segments.CountAsync(viewed, CancellationToken.None)).Members);
        Assert.Equal(0, (await f.Segments.CountAsync(abandoned, CancellationToken.None)).Members);

        f.Db.Clock.Advance(TimeSpan.FromDays(26)); // Anna's view is now 31 days old; Boris's cart 654 hours
        Assert.Equal(0, (await f.Segments.CountAsync(viewed, CancellationToken.None)).Members);
        Assert.Equal(1, (await f.Segments.CountAsync(abandoned, CancellationToken.None)).Members);
    }

    [Fact]
    public async Task MergedAwayCustomersAreNeverMembers()
    {
        using var f = new SegmentFixture();
        // One event names Gleb's phone and Vera's e-mail: they are one person (the lower id survives), so three remain.
        var merge = SegmentFixture.E("m1", "store_visit", "store", f.Now, store: "MSK-01");
        merge.Customer = new IdentityResolution.CustomerData { Phone = "+79160000004", Email = "vera@example.ru" };
        await f.Db.Ingestion().IngestAsync("till", [merge], CancellationToken.None);
        var count = await f.Segments.CountAsync(SegmentService.ParseOrThrow("""{"not":{"attr":"tier","op":"eq","value":"nothing"}}"""), CancellationToken.None);
        Assert.Equal(new SegmentService.Count(3, 3), count);
        Assert.False(SegmentDefinition.Parse("""{"not":{"attr":"gender","op":"eq","value":"nobody-is-this"}}""").IsValid); // closed choices
    }

    [Theory]
    [InlineData("gte", 1, true, false)]
    [InlineData("gt", 0, true, false)]
    [InlineData("neq", 0, true, false)]
    [InlineData("gte", 2, false, false)]
    [InlineData("eq", 1, false, false)]
    [InlineData("eq", 0, false, true)]
    [InlineData("lt", 1, false, true)]
    [InlineData("lte", 0, false, true)]
    [InlineData("neq", 1, false, false)]
    [InlineData("eq", 0.5, false, false)]
    public void CountBoundsKnowExistence(string op, double value, bool atLeastOne, bool none)
    {
        var bounds = Bounds.From(op, (decimal)value);
        Assert.Equal((atLeastOne, none), (bounds.AtLeastOne, bounds.None));
    }
}
