using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SegmentReadIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_OccurredAtUtc",
                table: "Orders");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Purchases",
                table: "Orders",
                columns: new[] { "Status", "OccurredAtUtc", "Channel", "StoreId", "CustomerId", "TotalMinor", "BonusRedeemedMinor", "RefundedPaidMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerConsents_Channel_Granted_CustomerId",
                table: "CustomerConsents",
                columns: new[] { "Channel", "Granted", "CustomerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_Purchases",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_CustomerConsents_Channel_Granted_CustomerId",
                table: "CustomerConsents");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_OccurredAtUtc",
                table: "Orders",
                columns: new[] { "Status", "OccurredAtUtc" });
        }
    }
}
