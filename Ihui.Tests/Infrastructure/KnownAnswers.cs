using System.Text.Json;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// The known-answer vectors (made with the vendors' own libraries). The authoritative file is
/// <c>shared/vectors/vectors.json</c> beside the repository; a copy ships with the tests for machines without it.
/// </summary>
public static class KnownAnswers
{
    private static readonly Lazy<JsonElement> Root = new(Load);

    public static JsonElement Vectors => Root.Value;

    private static JsonElement Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FindFile()));
        return doc.RootElement.Clone();
    }

    private static string FindFile()
    {
        if (Environment.GetEnvironmentVariable("IHUI_VECTORS") is { Length: > 0 } explicitPath) return explicitPath;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in (string[])[Path.Combine(dir.FullName, "shared"), Path.Combine(dir.FullName, "..", "shared")])
            {
                var file = Path.Combine(candidate, "vectors", "vectors.json");
                if (File.Exists(file)) return file;
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "vectors.json");
    }
}
