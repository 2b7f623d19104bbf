using Ihui.Api;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Data;
using Microsoft.Extensions.Configuration;
using MySqlConnector;

namespace Ihui.Tests.Host;

public sealed class ConfigurationTests
{
    [Fact]
    public void Database_url_in_the_pymysql_form_selects_mysql()
    {
        var options = DatabaseOptions.FromUrl("mysql+pymysql://root:p%40ss@db.local:3307/ihui_public?charset=utf8mb4");
        var b = new MySqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(SqlDialect.MySql, options.Dialect);
        Assert.Equal(("db.local", 3307u, "root", "p@ss", "ihui_public"), (b.Server, b.Port, b.UserID, b.Password, b.Database));
        Assert.DoesNotContain("p@ss", options.Describe());
    }

    [Fact]
    public void Db_variables_select_mysql_and_nothing_selects_sqlite()
    {
        var mysql = DatabaseOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DB_HOST"] = "10.1.2.3", ["DB_USER"] = "ihui", ["DB_PASSWORD"] = "pw", ["DB_NAME"] = "gw",
        }).Build());
        Assert.Equal(SqlDialect.MySql, mysql.Dialect);
        Assert.Equal("gw", new MySqlConnectionStringBuilder(mysql.ConnectionString).Database);

        var sqlite = DatabaseOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal(SqlDialect.Sqlite, sqlite.Dialect);
        Assert.Contains("ihui.db", sqlite.ConnectionString);
    }

    [Fact]
    public void Mysql_reads_and_writes_get_separate_pools_sized_by_configuration()
    {
        static DatabaseOptions With(params (string Key, string Value)[] pairs) => DatabaseOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Append((Key: "DB_HOST", Value: "10.1.2.3")).ToDictionary(p => p.Key, p => (string?)p.Value)).Build());
        static (string, uint, uint) Pool(DatabaseOptions o, bool write)
        {
            var b = new MySqlConnectionStringBuilder(o.PoolConnectionString(write));
            return (b.ApplicationName!, b.MaximumPoolSize, b.ConnectionTimeout);
        }

        var defaults = With();
        Assert.Equal(("ihui-read", 64u, 15u), Pool(defaults, write: false));
        Assert.Equal(("ihui-write", 32u, 15u), Pool(defaults, write: true));
        var sized = With(("DB_POOL_SIZE", "7"), ("DB_WRITE_POOL_SIZE", "3"), ("DB_CONNECT_TIMEOUT_SECONDS", "4"));
        Assert.Equal(("ihui-read", 7u, 4u), Pool(sized, write: false));
        Assert.Equal(("ihui-write", 3u, 4u), Pool(sized, write: true));
        // The two strings differ, so MySqlConnector keeps two pools: reads cannot take the writer's connections.
        Assert.NotEqual(sized.PoolConnectionString(write: false), sized.PoolConnectionString(write: true));
    }

    [Fact]
    public void Sqlite_write_tuning_has_defaults_and_refuses_nonsense()
    {
        static DatabaseOptions With(params (string Key, string Value)[] pairs) => DatabaseOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.ToDictionary(p => p.Key, p => (string?)p.Value)).Build());

        var defaults = With();
        Assert.Equal((TimeSpan.FromSeconds(5), 1024, 16L << 20), (defaults.CheckpointInterval, defaults.PageSize, defaults.WalLimitBytes));
        var tuned = With(("SQLITE_CHECKPOINT_SECONDS", "0.5"), ("SQLITE_PAGE_SIZE", "4096"), ("SQLITE_WAL_LIMIT_MB", "64"));
        Assert.Equal((TimeSpan.FromMilliseconds(500), 4096, 64L << 20), (tuned.CheckpointInterval, tuned.PageSize, tuned.WalLimitBytes));
        foreach (var nonsense in new[] { "0", "-4", "1.5", "5000", "lots" })
            Assert.Contains("SQLITE_WAL_LIMIT_MB", Assert.Throws<InvalidSettingException>(() => With(("SQLITE_WAL_LIMIT_MB", nonsense))).Message);

        Assert.Contains("SQLITE_PAGE_SIZE", Assert.Throws<InvalidSettingException>(() => With(("SQLITE_PAGE_SIZE", "1000"))).Message);
        Assert.Contains("SQLITE_PAGE_SIZE", Assert.Throws<InvalidSettingException>(() => With(("SQLITE_PAGE_SIZE", "131072"))).Message);
        Assert.Contains("SQLITE_CHECKPOINT_SECONDS", Assert.Throws<InvalidSettingException>(() => With(("SQLITE_CHECKPOINT_SECONDS", "-1"))).Message);
        Assert.Contains("above 0", Assert.Throws<InvalidSettingException>(() => With(("SQLITE_CHECKPOINT_SECONDS", "0"))).Message);
        Assert.Contains("SQLITE_CHECKPOINT_SECONDS", Assert.Throws<InvalidSettingException>(() => With(("SQLITE_CHECKPOINT_SECONDS", "soon"))).Message);
    }

    [Fact]
    public void An_unsupported_database_url_is_refused_clearly()
    {
        var e = Assert.Throws<InvalidSettingException>(() => DatabaseOptions.FromUrl("postgres://u:p@h/db"));
        Assert.Contains("postgres", e.Message);
    }

    [Fact]
    public void Dotenv_lines_are_parsed_like_seed_000_writes_them()
    {
        var data = DotEnvConfigurationProvider.Parse([
            "# comment", "", "DOUBAO_API_KEY=abc123", "export GLM_API_KEY = \"id.secret\"", "CORS_ORIGINS=[\"*\"]",
            "TOKEN_BASE_MULTIPLIER=2.0 # trailing comment", "BROKEN LINE",
        ]);
        Assert.Equal("abc123", data["DOUBAO_API_KEY"]);
        Assert.Equal("id.secret", data["GLM_API_KEY"]);
        Assert.Equal("[\"*\"]", data["CORS_ORIGINS"]);
        Assert.Equal("2.0", data["TOKEN_BASE_MULTIPLIER"]);
        Assert.Equal(4, data.Count);
    }

    [Fact]
    public void Environment_overrides_dotenv_which_overrides_appsettings()
    {
        var dir = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(dir.FullName, ".env"), "IHUI_ORDER_A=dotenv\nIHUI_ORDER_B=dotenv\n");
        Environment.SetEnvironmentVariable("IHUI_ORDER_A", "environment");
        try
        {
            var manager = new ConfigurationManager();
            manager.AddInMemoryCollection(new Dictionary<string, string?> { ["IHUI_ORDER_A"] = "appsettings", ["IHUI_ORDER_B"] = "appsettings", ["IHUI_ORDER_C"] = "appsettings" });
            manager.AddEnvironmentVariables();
            manager.AddDotEnvBelowEnvironment(Path.Combine(dir.FullName, ".env"));
            Assert.Equal(("environment", "dotenv", "appsettings"), (manager["IHUI_ORDER_A"], manager["IHUI_ORDER_B"], manager["IHUI_ORDER_C"]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("IHUI_ORDER_A", null);
            dir.Delete(true);
        }
    }

    [Fact]
    public void The_dotenv_file_is_found_in_the_working_directory_or_a_parent()
    {
        var root = Directory.CreateTempSubdirectory();
        try
        {
            var project = Directory.CreateDirectory(Path.Combine(root.FullName, "Ihui.Api"));
            Assert.Equal(Path.Combine(project.FullName, ".env"), DotEnvConfigurationExtensions.Find(project.FullName));
            File.WriteAllText(Path.Combine(root.FullName, ".env"), "A=1");
            Assert.Equal(Path.Combine(root.FullName, ".env"), DotEnvConfigurationExtensions.Find(project.FullName));
            File.WriteAllText(Path.Combine(project.FullName, ".env"), "A=2");
            Assert.Equal(Path.Combine(project.FullName, ".env"), DotEnvConfigurationExtensions.Find(project.FullName));
        }
        finally
        {
            root.Delete(true);
        }
    }

    [Theory]
    [InlineData("[\"*\"]", new[] { "*" })]
    [InlineData("[\"https://a.com\",\"https://b.com\"]", new[] { "https://a.com", "https://b.com" })]
    [InlineData("https://a.com, https://b.com", new[] { "https://a.com", "https://b.com" })]
    [InlineData("", new string[0])]
    public void Cors_origins_accept_the_seed_list_and_comma_forms(string value, string[] expected) =>
        Assert.Equal(expected, CorsSetup.Parse(value));
}
