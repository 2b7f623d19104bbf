using System.Text.Json;
using Ihui.Features.Common.Configuration;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Ihui.Api;

/// <summary><c>CORS_ORIGINS</c> as seed 000 writes it (<c>["*"]</c>) or comma-separated; <c>CORS_ALLOW_CREDENTIALS</c>.</summary>
public static class CorsSetup
{
    public static void Apply(CorsPolicyBuilder policy, IConfiguration configuration)
    {
        var origins = Parse(configuration["CORS_ORIGINS"]);
        var credentials = AllowCredentials(configuration);
        policy.AllowAnyHeader().AllowAnyMethod();
        if (origins.Length == 0 || origins.Contains("*"))
        {
            // Credentials cannot be combined with a literal "*"; reflect the caller's origin instead.
            if (credentials)
                policy.SetIsOriginAllowed(_ => true).AllowCredentials();
            else
                policy.AllowAnyOrigin();
            return;
        }
        policy.WithOrigins(origins);
        if (credentials) policy.AllowCredentials();
    }

    public static bool AllowCredentials(IConfiguration configuration) => Setting.Bool(configuration, "CORS_ALLOW_CREDENTIALS", false);

    public static string[] Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        value = value.Trim();
        if (value.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<string[]>(value) ?? [];
            }
            catch (JsonException)
            {
                value = value.Trim('[', ']');
            }
        }
        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.Trim('"', '\'')).ToArray();
    }
}
