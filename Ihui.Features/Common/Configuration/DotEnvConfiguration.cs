using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Configuration;

/// <summary>
/// Reads <c>KEY=value</c> lines from a <c>.env</c> file (seed 000's configuration style).
/// Environment variables override it; it overrides appsettings.
/// </summary>
public sealed class DotEnvConfigurationSource(string path) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new DotEnvConfigurationProvider(path);
}

public sealed class DotEnvConfigurationProvider(string path) : ConfigurationProvider
{
    public override void Load() => Data = File.Exists(path) ? Parse(File.ReadAllLines(path)) : new(StringComparer.OrdinalIgnoreCase);

    public static Dictionary<string, string?> Parse(IEnumerable<string> lines)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1];
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var hash and >= 0)
                value = value[..hash].TrimEnd();
            data[key] = value;
        }
        return data;
    }
}

public static class DotEnvConfigurationExtensions
{
    /// <summary>
    /// The <c>.env</c> of the working directory, else of the nearest of its three parents that has one
    /// (<c>dotnet run --project Ihui.Api</c> runs in <c>Ihui.Api/</c> but the file lives at the repository root).
    /// </summary>
    public static string Find(string workingDirectory)
    {
        var dir = new DirectoryInfo(workingDirectory);
        for (var i = 0; i < 4 && dir is not null; i++, dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".env");
            if (File.Exists(candidate)) return candidate;
        }
        return Path.Combine(workingDirectory, ".env");
    }

    /// <summary>
    /// Inserts the .env source just below the environment-variable sources so that the seed's
    /// precedence holds: environment, then .env, then appsettings.
    /// </summary>
    public static IConfigurationManager AddDotEnvBelowEnvironment(this IConfigurationManager configuration, string path)
    {
        var sources = configuration.Sources;
        var index = sources.Select((s, i) => (s, i))
            .Where(p => p.s.GetType().Name == "EnvironmentVariablesConfigurationSource")
            .Select(p => p.i).DefaultIfEmpty(sources.Count).First();
        sources.Insert(index, new DotEnvConfigurationSource(path));
        return configuration;
    }
}
