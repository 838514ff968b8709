using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OutboxPricePerMessage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PriceMinor",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Messages sent before prices were recorded per message keep today's price, as their cost read until now.
            migrationBuilder.Sql("""
                UPDATE "OutboxMessages" SET "PriceMinor" = COALESCE((SELECT p."PriceMinor" FROM "ChannelPrices" p WHERE p."Channel" = "OutboxMessages"."Channel"), 0)
                WHERE "SentAtUtc" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PriceMinor",
                table: "OutboxMessages");
        }
    }
}
