using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Accounts;

public sealed class QueryTableTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private async Task AddUsersAsync(int n)
    {
        for (var i = 0; i < n; i++)
            await app.AdminPostAsync("/admin/add_normal_user",
                new { username = AccountsApp.Unique(), password = "Secret-123", tokens = 5, email = "q@y.cn", pictimes = 1, academy = "理学院" });
    }

    [Fact]
    public async Task Pages_of_users_with_count_and_no_password_hashes()
    {
        await AddUsersAsync(5);
        var total = await app.ScalarAsync<long>("SELECT COUNT(*) FROM users");
        var count = await AccountsApp.AssertOkAsync(await app.AdminGetAsync("/admin/query_table_count?table=users"), $"查询 {total} 条信息成功");
        Assert.Equal(total, count.GetProperty("total_count").GetInt64());
        Assert.True(total >= 5);

        var page1 = (await ReadPageAsync("/admin/query_table?table=users&query_range=2&start=0")).ToList();
        var page2 = (await ReadPageAsync("/admin/query_table?table=user&query_range=2&start=2")).ToList();
        Assert.Equal(2, page1.Count);
        Assert.Equal(2, page2.Count);
        Assert.Empty(page1.Select(r => r.GetProperty("id").GetString()).Intersect(page2.Select(r => r.GetProperty("id").GetString())));
        var row = page1[0];
        Assert.True(row.TryGetProperty("username", out _));
        Assert.True(row.TryGetProperty("tokens", out _));
        Assert.False(row.TryGetProperty("password_hash", out _));

        var beyond = await ReadPageAsync($"/admin/query_table?table=users&query_range=10&start={total + 100}");
        Assert.Empty(beyond);
    }

    private async Task<IEnumerable<System.Text.Json.JsonElement>> ReadPageAsync(string url)
    {
        var response = await app.AdminGetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        var data = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal($"查询 {data.Count} 条信息成功", json.GetProperty("msg").GetString());
        return data;
    }

    [Fact]
    public async Task Admin_and_redeem_tables_never_show_secrets()
    {
        var admins = await ReadPageAsync("/admin/query_table?table=admins&query_range=100&start=0");
        Assert.All(admins, a => Assert.False(a.TryGetProperty("password_hash", out _)));
        Assert.Contains(admins, a => a.GetProperty("name").GetString() == AccountsApp.RootAdmin);

        var one = await AccountsApp.AssertOkAsync(await app.AdminGetAsync($"/admin/query_table_data?table=admin&target_name={AccountsApp.RootAdmin}"),
            $"查询 {AccountsApp.RootAdmin} 成功");
        Assert.Equal(AccountsApp.RootAdmin, one.GetProperty("data").GetProperty("name").GetString());
        Assert.DoesNotContain("password", one.GetRawText());
        Assert.DoesNotContain("AQAAAA", one.GetRawText());
    }

    [Fact]
    public async Task Query_table_data_finds_one_row_by_name_or_404()
    {
        var name = AccountsApp.Unique("code");
        await app.AdminPostAsync("/admin/add_token", new { token_name = name, token_limit = 9, token_range = "*" });
        var json = await AccountsApp.AssertOkAsync(await app.AdminGetAsync($"/admin/query_table_data?table=token&target_name={name}"), $"查询 {name} 成功");
        Assert.Equal(9, json.GetProperty("data").GetProperty("amount").GetInt64());
        var created = json.GetProperty("data").GetProperty("created_at").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", created);
        Assert.InRange(DateTime.Parse(created, null, System.Globalization.DateTimeStyles.AdjustToUniversal), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("data").GetProperty("redeemed_at").ValueKind);
        Assert.Equal(1, json.GetProperty("data").GetProperty("is_available").GetInt32());
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync("/admin/query_table_data?table=token&target_name=nope"), HttpStatusCode.NotFound);
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync("/admin/query_table_data?table=token"), HttpStatusCode.BadRequest, "target_name");
    }

    [Fact]
    public async Task Audit_and_ledger_tables_are_readable()
    {
        await AddUsersAsync(1);
        var audit = await ReadPageAsync("/admin/query_table?table=admin_audit&query_range=5&start=0");
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "add_normal_user");
        var ledger = await ReadPageAsync("/admin/query_table?table=ledger&query_range=5&start=0");
        Assert.Contains(ledger, l => l.GetProperty("kind").GetString() == "grant");
    }

    [Theory]
    [InlineData("users; DROP TABLE users")]
    [InlineData("users--")]
    [InlineData("schema_migrations")]
    [InlineData("USERS")]
    [InlineData("users WHERE 1=1")]
    [InlineData("")]
    public async Task Unknown_or_hostile_table_names_are_400_and_reach_no_sql(string table)
    {
        var q = Uri.EscapeDataString(table);
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync($"/admin/query_table?table={q}&query_range=5&start=0"), HttpStatusCode.BadRequest, "unknown table");
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync($"/admin/query_table_count?table={q}"), HttpStatusCode.BadRequest, "unknown table");
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync($"/admin/query_table_data?table={q}&target_name=x"), HttpStatusCode.BadRequest, "unknown table");
        Assert.True(await app.ScalarAsync<long>("SELECT COUNT(*) FROM users") >= 0);
    }

    [Fact]
    public async Task A_hostile_target_name_is_only_a_value()
    {
        await AccountsApp.AssertErrorAsync(
            await app.AdminGetAsync($"/admin/query_table_data?table=users&target_name={Uri.EscapeDataString("x' OR '1'='1")}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("query_range=0&start=0", "query_range")]
    [InlineData("query_range=101&start=0", "query_range")]
    [InlineData("query_range=-5&start=0", "query_range")]
    [InlineData("query_range=10&start=-1", "start")]
    [InlineData("query_range=abc&start=0", null)]
    public async Task Paging_is_bounded(string query, string? field) =>
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync($"/admin/query_table?table=users&{query}"), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Defaults_apply_without_paging_parameters()
    {
        await AddUsersAsync(1);
        var rows = await ReadPageAsync("/admin/query_table?table=users");
        Assert.InRange(rows.Count(), 1, 20);
    }

    [Fact]
    public async Task Unauthenticated_queries_are_401()
    {
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/query_table?table=users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/query_table_data?table=users&target_name=x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/control_token?is_available=1&token_name=x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/admin/modify_token", new { target_token = "x" })).StatusCode);
    }

    /// <summary>The <c>calls</c> columns of docs/accounts-admin.md, as the document lists them.</summary>
    private static string[] DocumentedCallColumns()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var doc = Path.Combine(dir.FullName, "docs", "accounts-admin.md");
            if (!File.Exists(doc)) continue;
            var row = File.ReadLines(doc).Single(l => l.StartsWith("| `calls` |", StringComparison.Ordinal));
            return row.Split('|')[2].Split(',', StringSplitOptions.TrimEntries);
        }
        throw new FileNotFoundException("docs/accounts-admin.md not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Calls_rows_have_the_documented_columns_and_say_when_usage_was_estimated()
    {
        var user = await app.CreateUserAsync(10_000);
        app.DashScope.SendUsage = false; // the vendor reports no usage: Ihui counts it and marks the row estimated
        try
        {
            var reply = await app.CreateClient().PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat",
                new { prompt = "what is here?", image_urls = new[] { "https://example.com/a.png" }, model = "qwen-vl-max", user_uuid = user.Id, chat_id = "qt-1" });
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }
        finally
        {
            app.DashScope.SendUsage = true;
        }
        await app.Services.GetRequiredService<Ihui.Features.Common.CallLog.CallLogStore>().FlushAsync();

        var rows = await ReadPageAsync("/admin/query_table?table=calls&query_range=100&start=0");
        var row = Assert.Single(rows, r => r.GetProperty("user_id").GetString() == user.Id);
        Assert.Equal(DocumentedCallColumns(), row.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1, row.GetProperty("usage_estimated").GetInt32());
        Assert.True(row.GetProperty("usage_out").GetInt64() > 0);
        Assert.True(row.GetProperty("charged").GetInt64() > 0);
        Assert.Equal("qt-1", row.GetProperty("chat_id").GetString());
        Assert.Equal("default=ok", row.GetProperty("channels").GetString()); // DashScope is routed over channels: its one try

        var id = row.GetProperty("id").GetString();
        var one = await AccountsApp.AssertOkAsync(await app.AdminGetAsync($"/admin/query_table_data?table=calls&target_name={id}"), $"查询 {id} 成功");
        Assert.Equal(1, one.GetProperty("data").GetProperty("usage_estimated").GetInt32());
    }
}
