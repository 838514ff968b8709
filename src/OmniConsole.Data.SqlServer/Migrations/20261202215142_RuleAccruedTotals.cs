using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class RuleAccruedTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AccruedMinor",
                table: "EarningRules",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "EarningRules",
                keyColumn: "Id",
                keyValue: 1,
                column: "AccruedMinor",
                value: 0L);

            // The totals so far, read while the index by rule still exists; from now on every writer adds to them.
            migrationBuilder.Sql(@"UPDATE [EarningRules] SET [AccruedMinor] = COALESCE((SELECT SUM([AmountMinor]) FROM [BonusLots] WHERE [RuleId] = [EarningRules].[Id]), 0)");

            migrationBuilder.DropIndex(
                name: "IX_BonusLots_RuleId_AmountMinor",
                table: "BonusLots");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AccruedMinor",
                table: "EarningRules");

            migrationBuilder.CreateIndex(
                name: "IX_BonusLots_RuleId_AmountMinor",
                table: "BonusLots",
                columns: new[] { "RuleId", "AmountMinor" });
        }
    }
}
