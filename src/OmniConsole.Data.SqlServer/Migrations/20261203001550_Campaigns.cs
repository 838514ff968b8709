using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Campaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Audience",
                table: "Campaigns",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "CreatedBy",
                table: "Campaigns",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DefinitionJson",
                table: "Campaigns",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EnrolledUpToId",
                table: "Campaigns",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "EnrollmentDone",
                table: "Campaigns",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "FinishedAtUtc",
                table: "Campaigns",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LaunchedAtUtc",
                table: "Campaigns",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SegmentId",
                table: "Campaigns",
                type: "int",
                nullable: true);

            // Campaigns recorded before OmniConsole sent anything itself (the demo's history) are finished ones.
            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "Campaigns",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Completed");

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Campaigns",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "CampaignRecipients",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CampaignId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    Occurrence = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    State = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    StepIndex = table.Column<int>(type: "int", nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    EnteredAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LastMessageId = table.Column<long>(type: "bigint", nullable: true),
                    LastSentAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignRecipients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChannelPrices",
                columns: table => new
                {
                    Channel = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    PriceMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChannelPrices", x => x.Channel);
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CampaignId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    StepIndex = table.Column<int>(type: "int", nullable: false),
                    RecipientId = table.Column<long>(type: "bigint", nullable: false),
                    CustomerId = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    SkipReason = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    DueAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    ClaimedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ClaimedUntilUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Address = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    DeliveredAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    OpenedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ClickedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    UnsubscribedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    SandboxOpenAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    SandboxClickAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_Status",
                table: "Campaigns",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_CampaignId_CustomerId_Occurrence",
                table: "CampaignRecipients",
                columns: new[] { "CampaignId", "CustomerId", "Occurrence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_OneActive",
                table: "CampaignRecipients",
                columns: new[] { "CampaignId", "CustomerId" },
                unique: true,
                filter: "\"State\" = 'Active'");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_State_CampaignId_StepIndex_DueAtUtc",
                table: "CampaignRecipients",
                columns: new[] { "State", "CampaignId", "StepIndex", "DueAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_CampaignId_StepIndex_RecipientId",
                table: "OutboxMessages",
                columns: new[] { "CampaignId", "StepIndex", "RecipientId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_CustomerId_Channel_SentAtUtc",
                table: "OutboxMessages",
                columns: new[] { "CustomerId", "Channel", "SentAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_SandboxClickAtUtc",
                table: "OutboxMessages",
                column: "SandboxClickAtUtc",
                filter: "\"SandboxClickAtUtc\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_SandboxOpenAtUtc",
                table: "OutboxMessages",
                column: "SandboxOpenAtUtc",
                filter: "\"SandboxOpenAtUtc\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_DueAtUtc",
                table: "OutboxMessages",
                columns: new[] { "Status", "DueAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CampaignRecipients");

            migrationBuilder.DropTable(
                name: "ChannelPrices");

            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_Campaigns_Status",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "Audience",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "CreatedBy",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "DefinitionJson",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "EnrolledUpToId",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "EnrollmentDone",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "FinishedAtUtc",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "LaunchedAtUtc",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "SegmentId",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Campaigns");
        }
    }
}
