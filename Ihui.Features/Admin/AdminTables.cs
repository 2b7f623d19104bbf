using System.Collections.Frozen;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Admin;

/// <summary>
/// A table the admin console may read: its SQL name, the columns shown (never password or key hashes), the column
/// <c>target_name</c> matches, and the order of pages. All SQL text comes from here, never from the request.
/// </summary>
public sealed record AdminTable(string Name, string Columns, string KeyColumn, string OrderBy, params string[] TimeColumns);

public static class AdminTables
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;
    public const int MaxOffset = 10_000_000;

    private static readonly AdminTable Users = new("users",
        "id, username, email, academy, " + Ihui.Features.Common.Users.UserStore.SpendableBalanceSql + " AS tokens, pic_times AS pictimes, status, created_at", "username", "created_at DESC, id", "created_at");
    private static readonly AdminTable Admins = new("admins", "id, name, created_at", "name", "created_at DESC, id", "created_at");
    private static readonly AdminTable RedeemCodes = new("redeem_codes",
        "id, name, amount, academy_range, is_available, redeemed_by, redeemed_at, created_at", "name", "created_at DESC, id",
        "redeemed_at", "created_at");
    private static readonly AdminTable Ledger = new("ledger", "id, user_id, delta, kind, call_id, created_at", "id", "created_at DESC, id", "created_at");
    private static readonly AdminTable Calls = new("calls",
        "id, user_id, chat_id, route, vendor, model, status, usage_in, usage_out, usage_units, usage_estimated, reserved, charged, latency_ms, " +
        "error_code, error_message, channels, started_at, finished_at",
        "id", "started_at DESC, id", "started_at", "finished_at");
    private static readonly AdminTable Audit = new("admin_audit", "id, admin_id, admin_name, action, target, detail, created_at", "id", "created_at DESC, id", "created_at");
    private static readonly AdminTable Models = new("models",
        "name AS llm_id, type, vendor, upstream_model AS model_name, parameters, enabled, last_used_at, created_at, updated_at", "name", "type, name",
        "last_used_at", "created_at", "updated_at");
    private static readonly AdminTable Prices = new("prices", "model, per_1k_in, per_1k_out, per_call, per_image, per_second, updated_at", "model", "model", "updated_at");

    /// <summary>Names the console may send, including seed 002's singular names (<c>user</c>, <c>admin</c>, <c>token</c>).</summary>
    private static readonly FrozenDictionary<string, AdminTable> ByName = new Dictionary<string, AdminTable>(StringComparer.Ordinal)
    {
        ["user"] = Users, ["users"] = Users,
        ["admin"] = Admins, ["admins"] = Admins,
        ["token"] = RedeemCodes, ["tokens"] = RedeemCodes, ["redeem_codes"] = RedeemCodes,
        ["ledger"] = Ledger,
        ["calls"] = Calls,
        ["audit"] = Audit, ["admin_audit"] = Audit,
        ["prices"] = Prices,
        ["models"] = Models,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);

    public static bool IsKnown(string? name) => name is not null && ByName.ContainsKey(name);

    public static AdminTable Get(string? name) =>
        name is not null && ByName.TryGetValue(name, out var t) ? t : throw ApiException.BadRequest($"unknown table; use one of: {string.Join(", ", Names)}");

    /// <summary>
    /// Rows as plain JSON values, the same on both databases: times as ISO-8601 UTC strings (SQLite stores them as
    /// text, MySQL returns DateTime), booleans as 0/1.
    /// </summary>
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(DbConnection c, AdminTable table, string sql, object parameters) =>
        (await c.QueryAsync(sql, parameters)).Select(row => ((IDictionary<string, object?>)row)
            .ToDictionary(kv => kv.Key, kv => Normalise(kv.Value, table.TimeColumns.Contains(kv.Key)))).ToList();

    private static object? Normalise(object? value, bool isTime) => value switch
    {
        DateTime d => Iso(d),
        string s when isTime && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) => Iso(d),
        bool b => b ? 1 : 0,
        DBNull => null,
        _ => value,
    };

    private static string Iso(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
