using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OrdersByCustomerForTiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_CustomerId_OccurredAtUtc",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CustomerId_OccurredAtUtc",
                table: "Orders",
                columns: new[] { "CustomerId", "OccurredAtUtc", "Status", "TotalMinor", "BonusRedeemedMinor", "RefundedPaidMinor" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_CustomerId_OccurredAtUtc",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CustomerId_OccurredAtUtc",
                table: "Orders",
                columns: new[] { "CustomerId", "OccurredAtUtc" });
        }
    }
}
