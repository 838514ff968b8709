using System.Text.Json.Nodes;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using OmniConsole.Core.Segments;
using OmniConsole.Web.Components.Pages.Segments;

namespace OmniConsole.Web.Tests;

/// <summary>The builder's group and condition editors edit the definition tree the API parses.</summary>
public sealed class SegmentBuilderPartsTests
{
    private static BunitContext NewContext() => NewContext(out _);

    /// <param name="popovers">Where MudBlazor renders what opens (a select's or an autocomplete's list).</param>
    private static BunitContext NewContext(out IRenderedComponent<MudPopoverProvider> popovers, string culture = "en-US")
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new(culture);
        popovers = ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    [Fact]
    public async Task GroupEditorAddsConditionsGroupsAndNegatesAndTheResultParses()
    {
        await using var ctx = NewContext();
        var root = SegmentNode.Group(NodeKind.All, GroupEditor.NewCondition());
        var changes = 0;
        var cut = ctx.Render<GroupEditor>(p => p.Add(x => x.Node, root).Add(x => x.Changed, EventCallback.Factory.Create(this, () => changes++)));

        cut.Find("[data-testid=add-condition]").Click();
        cut.FindAll("[data-testid=add-group]")[0].Click();
        cut.FindAll("[data-testid=toggle-not]")[1].Click();

        Assert.Equal(3, changes);
        Assert.Equal(3, root.Children.Count);
        Assert.Equal(NodeKind.Not, root.Children[1].Kind);
        Assert.Equal(NodeKind.Any, root.Children[2].Kind);
        var parsed = SegmentDefinition.Parse(SegmentDefinition.ToJsonNode(root));
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => e.Message)));

        cut.FindAll("[data-testid=remove-condition]")[0].Click();
        Assert.Equal(2, root.Children.Count);
    }

    [Fact]
    public async Task ReadOnlyGroupOffersNoEditing()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<GroupEditor>(p => p.Add(x => x.Node, SegmentNode.Group(NodeKind.All, GroupEditor.NewCondition())).Add(x => x.ReadOnly, true));
        Assert.Empty(cut.FindAll("[data-testid=add-condition]"));
        Assert.Empty(cut.FindAll("[data-testid=remove-condition]"));
    }

    [Fact]
    public async Task ConditionShowsTheQualifiersOfItsAttribute()
    {
        await using var ctx = NewContext();
        var events = SegmentNode.Condition("events", "gte", JsonValue.Create(1), ("type", JsonValue.Create("product_viewed")));
        var cut = ctx.Render<ConditionEditor>(p => p.Add(x => x.Node, events));
        foreach (var q in new[] { "type", "channel", "category", "campaignId", "withinDays" })
            Assert.Single(cut.FindAll($"[data-testid=qualifier-{q}]"));
        Assert.Empty(cut.FindAll("[data-testid=qualifier-brand]"));

        var gender = SegmentNode.Condition("gender", "eq", JsonValue.Create("female"));
        var plain = ctx.Render<ConditionEditor>(p => p.Add(x => x.Node, gender));
        Assert.Empty(plain.FindAll("[data-testid^=qualifier-]"));
    }

    // MudBlazor puts extra attributes on the input itself or on its wrapper, depending on the field.
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ConditionEditor> cut, string id) =>
        cut.FindAll($"input[data-testid={id}]").FirstOrDefault() ?? cut.Find($"[data-testid={id}] input");

    [Fact]
    public async Task TypedValuesBecomeTheRightJson()
    {
        await using var ctx = NewContext();
        var spent = SegmentNode.Condition("spent", "between", new JsonArray(JsonValue.Create(0), JsonValue.Create(0)));
        var cut = ctx.Render<ConditionEditor>(p => p.Add(x => x.Node, spent));
        // One field, then the other, each after the last one's value landed — as a person fills them in. (Typed within the
        // same 300 ms debounce, the first value's re-render can reset the second field before its value lands.)
        Input(cut, "condition-low").Input("1000");
        cut.WaitForAssertion(() => Assert.Equal("[1000,0]", spent.Value!.ToJsonString()), TimeSpan.FromSeconds(10));
        Input(cut, "condition-high").Input("5000.50");
        cut.WaitForAssertion(() => Assert.Equal("[1000,5000.50]", spent.Value!.ToJsonString()), TimeSpan.FromSeconds(10));

        var city = SegmentNode.Condition("city", "in", new JsonArray());
        var text = ctx.Render<ConditionEditor>(p => p.Add(x => x.Node, city));
        Input(text, "condition-value").Input("Москва, Казань");
        text.WaitForAssertion(() => Assert.Equal(["Москва", "Казань"], ((JsonArray)city.Value!).Select(v => v!.GetValue<string>())), TimeSpan.FromSeconds(10));
        Assert.True(SegmentDefinition.Parse(SegmentDefinition.ToJsonNode(city)).IsValid);
    }

    [Fact]
    public async Task CityOffersTheKnownCitiesAsOneTypes()
    {
        await using var ctx = NewContext(out var popover);
        var city = SegmentNode.Condition("city", "eq", JsonValue.Create(""));
        var vocabulary = new SegmentBuilder.Suggestions([], [], [], ["Казань", "Москва", "Московский", "Санкт-Петербург"]);
        var cut = ctx.Render<ConditionEditor>(p => p.Add(x => x.Node, city).Add(x => x.Vocabulary, vocabulary));

        Input(cut, "condition-value").Input("моск");
        popover.WaitForAssertion(() => Assert.Equal(["Москва", "Московский"],
            popover.FindAll(".mud-list-item").Select(i => i.TextContent.Trim())), TimeSpan.FromSeconds(10));
        popover.FindAll(".mud-list-item")[0].Click();
        cut.WaitForAssertion(() => Assert.Equal("Москва", city.Value!.GetValue<string>()), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task EventTypesReadInTheUiLanguage()
    {
        await using var ctx = NewContext(out var popover, "ru-RU");
        var events = SegmentNode.Condition("events", "gte", JsonValue.Create(1), ("type", JsonValue.Create("product_viewed")));
        var cut = ctx.Render<ConditionEditor>(p => p.Add(x => x.Node, events));
        cut.Find("[data-testid=qualifier-type] .mud-select-input, [data-testid=qualifier-type]").MouseDown();
        popover.WaitForAssertion(() => Assert.Contains("Просмотр товара", popover.FindAll(".mud-list-item").Select(i => i.TextContent.Trim())), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(popover.FindAll(".mud-list-item"), i => i.TextContent.Contains('_') || i.TextContent.Contains("product viewed"));
    }

    [Fact]
    public async Task ErrorsShowAtTheConditionAndFieldTheyAreAboutNotAsJsonPaths()
    {
        var gender = SegmentNode.Condition("gender", "eq", JsonValue.Create("female"));
        var city = SegmentNode.Condition("city", "eq", JsonValue.Create(""));
        var root = SegmentNode.Group(NodeKind.All, gender, SegmentNode.Negate(city));
        var parsed = SegmentDefinition.Parse(SegmentDefinition.ToJsonNode(root));
        Assert.Contains(parsed.Errors, e => e.Field == "definition.all[1].not.value"); // the API's path for the empty city

        var places = SegmentErrorPlaces.Place(root, [.. parsed.Errors, new SegmentError("definition.all[7].value", "lost"), new SegmentError("elsewhere", "whole")]);
        Assert.Equal("value", Assert.Single(places.For(city)).Field);
        Assert.Empty(places.For(gender));
        Assert.Equal(["lost", "whole"], places.Unplaced);

        await using var ctx = NewContext();
        var cut = ctx.Render<CascadingValue<SegmentErrorPlaces>>(p => p.Add(x => x.Value, places)
            .AddChildContent<ConditionEditor>(c => c.Add(x => x.Node, city)));
        var error = cut.Find("[data-testid=condition-error]").TextContent;
        Assert.StartsWith("Value: ", error);
        Assert.DoesNotContain("definition", error);
        Assert.Contains("mud-input-error", cut.Markup);
    }
}
