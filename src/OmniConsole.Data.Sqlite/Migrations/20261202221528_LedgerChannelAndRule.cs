using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RuleId",
                table: "BonusLedger",
                type: "INTEGER",
                nullable: true);

            // Entries written before these columns: their order's channel and their lot's rule, once.
            migrationBuilder.Sql(@"UPDATE ""BonusLedger"" SET ""Channel"" = (SELECT ""Channel"" FROM ""Orders"" WHERE ""Orders"".""Id"" = ""BonusLedger"".""OrderId""), ""RuleId"" = (SELECT ""RuleId"" FROM ""BonusLots"" WHERE ""BonusLots"".""Id"" = ""BonusLedger"".""LotId"") WHERE ""OrderId"" IS NOT NULL OR ""LotId"" IS NOT NULL");

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
