using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SegmentWatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SegmentWatches",
                columns: table => new
                {
                    CampaignId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    SegmentId = table.Column<int>(type: "int", nullable: false),
                    TakenAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LastPassAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Passes = table.Column<int>(type: "int", nullable: false),
                    Members = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SegmentWatches", x => x.CampaignId);
                });

            migrationBuilder.CreateTable(
                name: "SegmentWatchMembers",
                columns: table => new
                {
                    CampaignId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SegmentWatchMembers", x => new { x.CampaignId, x.CustomerId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SegmentWatches");

            migrationBuilder.DropTable(
                name: "SegmentWatchMembers");
        }
    }
}
