using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OutboxRetriesPerChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Status_DueAtUtc",
                table: "OutboxMessages");

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstAttemptAtUtc",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_Channel_DueAtUtc",
                table: "OutboxMessages",
                columns: new[] { "Status", "Channel", "DueAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Status_Channel_DueAtUtc",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "FirstAttemptAtUtc",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_DueAtUtc",
                table: "OutboxMessages",
                columns: new[] { "Status", "DueAtUtc" });
        }
    }
}
