using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class LedgerChannelAndRule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BonusLedger_Report",
                table: "BonusLedger");

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "BonusLedger",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RuleId",
                table: "BonusLedger",
                type: "int",
                nullable: true);

            // Entries written before these columns: their order's channel and their lot's rule, once.
            migrationBuilder.Sql(@"UPDATE l SET [Channel] = o.[Channel], [RuleId] = b.[RuleId] FROM [BonusLedger] l LEFT JOIN [Orders] o ON o.[Id] = l.[OrderId] LEFT JOIN [BonusLots] b ON b.[Id] = l.[LotId] WHERE l.[OrderId] IS NOT NULL OR l.[LotId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_BonusLedger_Report",
                table: "BonusLedger",
                columns: new[] { "Kind", "AtUtc", "Channel", "RuleId", "AmountMinor" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BonusLedger_Report",
                table: "BonusLedger");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "BonusLedger");

            migrationBuilder.DropColumn(
                name: "RuleId",
                table: "BonusLedger");

            migrationBuilder.CreateIndex(
                name: "IX_BonusLedger_Report",
                table: "BonusLedger",
                columns: new[] { "Kind", "AtUtc", "OrderId", "LotId", "AmountMinor" });
        }
    }
}
