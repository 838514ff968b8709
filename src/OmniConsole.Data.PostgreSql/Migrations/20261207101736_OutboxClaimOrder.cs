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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
