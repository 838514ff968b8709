using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OmniConsole.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QuotedSearchNameFilter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_SearchFirstName",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_SearchFirstName",
                table: "Customers",
                column: "SearchFirstName",
                filter: "\"SearchFirstName\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_SearchFirstName",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_SearchFirstName",
                table: "Customers",
                column: "SearchFirstName",
                filter: "SearchFirstName IS NOT NULL");
        }
    }
}
