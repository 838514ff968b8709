using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Shared;

/// <summary>
/// The base of pages and dialogs that act for a staff member:
/// <list type="bullet">
/// <item><see cref="ActorAsync"/>: who is acting, as services record it (the audit log's actor);</item>
/// <item><see cref="Disposing"/>: cancelled when the component goes away, so a page left in the middle of a query stops it;</item>
/// <item><see cref="InBackground"/>: work a component starts without waiting for it (polling, a reload after a filter
/// changed); its failure is logged and said on the page, never lost.</item>
/// </list>
/// </summary>
public abstract class StaffComponentBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposing = new();

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    [Inject] private ILogger<StaffComponentBase> BackgroundLog { get; set; } = default!;
    [Inject] private ISnackbar FailureToasts { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> FailureWords { get; set; } = default!;

    /// <summary>Cancelled when the component is disposed (the user left the page or closed the dialog).</summary>
    protected CancellationToken Disposing => _disposing.Token;

    /// <summary>The signed-in staff member's name (their e-mail), as the audit log records them.</summary>
    protected async Task<string> ActorAsync() => (await UserAsync()).StaffName();

    /// <summary>The signed-in staff member with their roles.</summary>
    protected async Task<System.Security.Claims.ClaimsPrincipal> UserAsync() =>
        AuthenticationState is { } state ? (await state).User : new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());

    /// <summary>Starts work the component does not wait for; it stops when the component goes away, and a failure is logged and shown.</summary>
    protected void InBackground(Func<CancellationToken, Task> work) => _ = ObserveAsync(work);

    private async Task ObserveAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(Disposing);
        }
        catch (OperationCanceledException) when (Disposing.IsCancellationRequested)
        {
            // the page is gone: nothing to say
        }
        catch (Exception ex)
        {
            BackgroundLog.LogError(ex, "{Component}: background work failed", GetType().Name);
            if (Disposing.IsCancellationRequested) return;
            try
            {
                await InvokeAsync(() => FailureToasts.Add(FailureWords["Something went wrong on this page, and what it was doing was not done. Your session goes on."], Severity.Error));
            }
            catch (Exception) when (Disposing.IsCancellationRequested) { } // disposed meanwhile
        }
    }

    public void Dispose()
    {
        if (_disposing.IsCancellationRequested) return;
        // Cancelled, not disposed: work still finishing reads Disposing, and a disposed source's token throws.
        _disposing.Cancel();
        OnDisposed();
    }

    /// <summary>What a component lets go of when it goes away (subscriptions, timers).</summary>
    protected virtual void OnDisposed() { }
}
