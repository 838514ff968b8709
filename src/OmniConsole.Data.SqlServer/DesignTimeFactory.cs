using Microsoft.EntityFrameworkCore.Design;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.SqlServer;

/// <summary>Lets `dotnet ef` build the model for this provider without starting the web app.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<OmniConsoleDbContext>
{
    public OmniConsoleDbContext CreateDbContext(string[] args) =>
        new(DbContextOptionsSetup.Standalone(DatabaseProvider.SqlServer, "Server=localhost;Database=OmniConsole;Trusted_Connection=True;TrustServerCertificate=True"));
}
