using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TimelineCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_CustomerId_Channel_OccurredAtUtc",
                table: "CustomerEvents");

            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_CustomerId_OccurredAtUtc_Id",
                table: "CustomerEvents");

            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_CustomerId_Type_OccurredAtUtc",
                table: "CustomerEvents");

            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_Type_OccurredAtUtc",
                table: "CustomerEvents");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_Timeline",
                table: "CustomerEvents",
                columns: new[] { "CustomerId", "OccurredAtUtc", "Id", "Channel", "Type" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_Timeline",
                table: "CustomerEvents");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_CustomerId_Channel_OccurredAtUtc",
                table: "CustomerEvents",
                columns: new[] { "CustomerId", "Channel", "OccurredAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_CustomerId_OccurredAtUtc_Id",
                table: "CustomerEvents",
                columns: new[] { "CustomerId", "OccurredAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_CustomerId_Type_OccurredAtUtc",
                table: "CustomerEvents",
                columns: new[] { "CustomerId", "Type", "OccurredAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_Type_OccurredAtUtc",
                table: "CustomerEvents",
                columns: new[] { "Type", "OccurredAtUtc" });
        }
    }
}
