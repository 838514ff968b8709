using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>An exception no handler caught: the session goes on, with a warning and a way back to the page.</summary>
public sealed class ErrorBoundaryTests
{
    /// <summary>A page with a field and a button whose handler fails, as a bug in an editor would.</summary>
    private sealed class FailingEditor : ComponentBase
    {
        public string Typed { get; private set; } = "";

        protected override void BuildRenderTree(RenderTreeBuilder b)
        {
            b.OpenElement(0, "input");
            b.AddAttribute(1, "value", Typed);
            b.AddAttribute(2, "oninput", EventCallback.Factory.Create<ChangeEventArgs>(this, e => Typed = (string)e.Value!));
            b.CloseElement();
            b.OpenElement(3, "button");
            b.AddAttribute(4, "onclick", EventCallback.Factory.Create(this, () => throw new InvalidOperationException("a bug")));
            b.AddContent(5, "Save");
            b.CloseElement();
        }
    }

    [Fact]
    public async Task AnUncaughtFailureShowsAWarningAndThePageComesBackOnContinue()
    {
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("ru-RU");
        var cut = ctx.Render<PageErrorBoundary>(p => p.AddChildContent<FailingEditor>());

        cut.Find("input").Input("Весенняя акция");
        cut.Find("button").Click();

        Assert.Contains("Работа продолжается", cut.Find("[data-testid=unexpected-error]").TextContent);
        Assert.Empty(cut.FindComponents<FailingEditor>());
        cut.Find("[data-testid=unexpected-error] button").Click();
        Assert.Empty(cut.FindAll("[data-testid=unexpected-error]"));
        Assert.Single(cut.FindComponents<FailingEditor>());
    }
}
