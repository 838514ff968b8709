using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class OutboxClaimOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Status_Channel_DueAtUtc",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_Channel_DueAtUtc_Id",
                table: "OutboxMessages",
                columns: new[] { "Status", "Channel", "DueAtUtc", "Id" });

            // Room in each page for a row's next version: a claim changes no indexed column, so with room it is a HOT
            // update (no new entry in the table's six indexes, no dead entry for the next claim to walk past).
            migrationBuilder.Sql("ALTER TABLE \"OutboxMessages\" SET (fillfactor = 70)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"OutboxMessages\" RESET (fillfactor)");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Status_Channel_DueAtUtc_Id",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_Channel_DueAtUtc",
                table: "OutboxMessages",
                columns: new[] { "Status", "Channel", "DueAtUtc" });
        }
    }
}
