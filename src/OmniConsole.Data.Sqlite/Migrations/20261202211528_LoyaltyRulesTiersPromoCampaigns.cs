using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LoyaltyRulesTiersPromoCampaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "EarningRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "PromoCampaignId",
                table: "PromoCodes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "PercentBasisPoints",
                table: "EarningRules",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<string>(
                name: "Conditions",
                table: "EarningRules",
                type: "TEXT",
                maxLength: 8000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "Exclusive",
                table: "EarningRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "EarningRules",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "PointsMinor",
                table: "EarningRules",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Priority",
                table: "EarningRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "EarningRules",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAtUtc",
                table: "EarningRules",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<int>(
                name: "RuleVersion",
                table: "BonusLots",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EarningRuleGrants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Period = table.Column<int>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EarningRuleGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EarningRuleGrants_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EarningRuleGrants_EarningRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "EarningRules",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "EarningRuleVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EarningRuleVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EarningRuleVersions_EarningRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "EarningRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PromoCampaigns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DiscountPercent = table.Column<int>(type: "INTEGER", nullable: true),
                    DiscountMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    BonusPointsMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    ValidFromUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ValidToUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UsesPerCode = table.Column<int>(type: "INTEGER", nullable: true),
                    UsesPerCustomer = table.Column<int>(type: "INTEGER", nullable: true),
                    Channels = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CodeCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromoCampaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Tiers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MinSpentMinor = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tiers", x => x.Id);
                });

            migrationBuilder.UpdateData(
                table: "EarningRules",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "Conditions", "Exclusive", "Kind", "PointsMinor", "Priority", "Status", "UpdatedAtUtc", "Version" },
                values: new object[] { "{\"channels\":[],\"storeCodes\":[],\"categories\":[],\"brands\":[],\"tiers\":[]}", false, "Purchase", null, 0, "Active", new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), 1 });

            migrationBuilder.CreateIndex(
                name: "IX_PromoCodes_PromoCampaignId_CustomerId_UsedCount",
                table: "PromoCodes",
                columns: new[] { "PromoCampaignId", "CustomerId", "UsedCount" });

            migrationBuilder.CreateIndex(
                name: "IX_PromoCodes_PromoCampaignId_Id",
                table: "PromoCodes",
                columns: new[] { "PromoCampaignId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_BonusLots_RuleId_AmountMinor",
                table: "BonusLots",
                columns: new[] { "RuleId", "AmountMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_EarningRuleGrants_CustomerId",
                table: "EarningRuleGrants",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_EarningRuleGrants_RuleId_CustomerId_Period",
                table: "EarningRuleGrants",
                columns: new[] { "RuleId", "CustomerId", "Period" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EarningRuleVersions_RuleId_Version",
                table: "EarningRuleVersions",
                columns: new[] { "RuleId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tiers_Name",
                table: "Tiers",
                column: "Name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_PromoCodes_PromoCampaigns_PromoCampaignId",
                table: "PromoCodes",
                column: "PromoCampaignId",
                principalTable: "PromoCampaigns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            // Rules keep what they were: active or paused, and their channels as their first condition.
            migrationBuilder.Sql(@"UPDATE ""EarningRules"" SET ""Status"" = CASE WHEN ""IsActive"" THEN 'Active' ELSE 'Paused' END, ""Kind"" = 'Purchase', ""Version"" = 1, ""UpdatedAtUtc"" = ""CreatedAtUtc"", ""Conditions"" = CASE WHEN ""Channels"" = '' THEN '{}' ELSE '{""channels"":[""' || replace(""Channels"", ',', '"",""') || '""]}' END");

            migrationBuilder.DropColumn(
                name: "Channels",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "IsActive",
                table: "EarningRules");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PromoCodes_PromoCampaigns_PromoCampaignId",
                table: "PromoCodes");

            migrationBuilder.DropTable(
                name: "EarningRuleGrants");

            migrationBuilder.DropTable(
                name: "EarningRuleVersions");

            migrationBuilder.DropTable(
                name: "PromoCampaigns");

            migrationBuilder.DropTable(
                name: "Tiers");

            migrationBuilder.DropIndex(
                name: "IX_PromoCodes_PromoCampaignId_CustomerId_UsedCount",
                table: "PromoCodes");

            migrationBuilder.DropIndex(
                name: "IX_PromoCodes_PromoCampaignId_Id",
                table: "PromoCodes");

            migrationBuilder.DropIndex(
                name: "IX_BonusLots_RuleId_AmountMinor",
                table: "BonusLots");

            migrationBuilder.DropColumn(
                name: "PromoCampaignId",
                table: "PromoCodes");

            migrationBuilder.DropColumn(
                name: "Conditions",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "Exclusive",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "PointsMinor",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "UpdatedAtUtc",
                table: "EarningRules");

            migrationBuilder.DropColumn(
                name: "RuleVersion",
                table: "BonusLots");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "EarningRules");

            migrationBuilder.AddColumn<bool>(
                name: "IsActive",
                table: "EarningRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AlterColumn<int>(
                name: "PercentBasisPoints",
                table: "EarningRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Channels",
                table: "EarningRules",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.UpdateData(
                table: "EarningRules",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "Channels", "IsActive" },
                values: new object[] { "", true });
        }
    }
}
