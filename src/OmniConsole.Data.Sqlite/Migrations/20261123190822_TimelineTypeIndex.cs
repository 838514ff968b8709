using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TimelineTypeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_CustomerEvents_CustomerId_Type_OccurredAtUtc",
                table: "CustomerEvents",
                columns: new[] { "CustomerId", "Type", "OccurredAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CustomerEvents_CustomerId_Type_OccurredAtUtc",
                table: "CustomerEvents");
        }
    }
}
