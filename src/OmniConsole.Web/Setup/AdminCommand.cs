using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Setup;

/// <summary>
/// <c>dotnet OmniConsole.Web.dll create-admin --email a@b.ru [--password P]</c>: the first administrator of a database
/// with none (production starts without demo accounts). Without a password a temporary one is printed; either way it
/// must be changed at the first sign-in. Refused once an administrator exists: they add staff on /admin/users.
/// </summary>
public static class AdminCommand
{
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var email = Arg(args, "--email");
        if (email is null)
        {
            Console.Error.WriteLine("Usage: create-admin --email <address> [--password <password>]");
            return 2;
        }
        using var scope = app.Services.CreateScope();
        try
        {
            var password = await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateFirstAdministratorAsync(email, Arg(args, "--password"), CancellationToken.None);
            Console.WriteLine(Arg(args, "--password") is null
                ? $"Administrator {email} created. Temporary password: {password} — it must be changed at the first sign-in."
                : $"Administrator {email} created; the password must be changed at the first sign-in.");
            return 0;
        }
        catch (StaffAccountException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
