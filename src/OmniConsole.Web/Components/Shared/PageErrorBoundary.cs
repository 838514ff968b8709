using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// The last net under every page: an exception no handler caught no longer ends the user's session (the circuit). The
/// page gives way to a warning with "Continue", which draws it anew; the exception is logged. The framework disposes a
/// failed page's components, so the editors keep the user's work by catching in their own handlers
/// (<see cref="UnexpectedError"/>): what reaches this boundary is what they could not foresee.
/// </summary>
public sealed class PageErrorBoundary : ErrorBoundaryBase
{
    [Inject] private ILogger<PageErrorBoundary> Log { get; set; } = null!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    protected override Task OnErrorAsync(Exception exception)
    {
        Log.LogError(exception, "Unexpected error on {Page}", Navigation.Uri);
        return Task.CompletedTask;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (CurrentException is null)
        {
            builder.AddContent(0, ChildContent);
            return;
        }
        builder.OpenComponent<MudAlert>(1);
        builder.AddComponentParameter(2, nameof(MudAlert.Severity), Severity.Error);
        builder.AddComponentParameter(3, "data-testid", "unexpected-error");
        builder.AddComponentParameter(4, nameof(MudAlert.ChildContent), (RenderFragment)(b =>
        {
            b.AddContent(0, L["Something went wrong on this page, and what it was doing was not done. Your session goes on."]);
            b.OpenComponent<MudButton>(1);
            b.AddComponentParameter(2, nameof(MudButton.Class), "ml-2");
            b.AddComponentParameter(3, nameof(MudButton.Variant), Variant.Outlined);
            b.AddComponentParameter(4, nameof(MudButton.Size), Size.Small);
            b.AddComponentParameter(5, nameof(MudButton.OnClick), EventCallback.Factory.Create<MouseEventArgs>(this, Recover));
            b.AddComponentParameter(6, nameof(MudButton.ChildContent), (RenderFragment)(t => t.AddContent(0, L["Continue"])));
            b.CloseComponent();
        }));
        builder.CloseComponent();
    }
}

/// <summary>An editor's handler that failed unexpectedly: logged, said in a snackbar, and the editor keeps what the user entered.</summary>
public static class UnexpectedError
{
    public static void Show(Exception exception, ISnackbar snackbar, IStringLocalizer<SharedResource> L, ILogger log)
    {
        log.LogError(exception, "Unexpected error in an editor");
        snackbar.Add(L["Something went wrong and was not done. What you entered is kept: check it and try again."], Severity.Error);
    }
}
