using System.Text.RegularExpressions;
using Ihui.Features;
using Mediator;

namespace Ihui.Tests.Host;

/// <summary>
/// The source tree shows the architecture: <c>Common/</c> holds only what two or more areas share (or what other
/// common code builds on), and the README's pipeline table names every behaviour by the marker it applies to.
/// </summary>
public sealed class LayoutTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Features = Path.Combine(Root, "Ihui.Features");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ihui.sln"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (Ihui.sln) is not above the test binaries");
    }

    [Fact]
    public void Every_common_folder_is_used_by_two_areas_or_by_other_common_code()
    {
        var sources = Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => f.StartsWith(Features) || f.StartsWith(Path.Combine(Root, "Ihui.Api")))
            .Select(f => (Owner: OwnerOf(f), Text: File.ReadAllText(f)))
            .ToList();
        var lonely = new List<string>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(Features, "Common")).Select(Path.GetFileName))
        {
            var ns = new Regex($@"\bIhui\.Features\.Common\.{folder}\b");
            var users = sources.Where(s => s.Owner != $"Common/{folder}" && ns.IsMatch(s.Text)).Select(s => s.Owner).ToHashSet();
            var areas = users.Where(u => !u.StartsWith("Common/") && u != "host").ToList();
            if (areas.Count < 2 && !users.Any(u => u.StartsWith("Common/")) && !ImplementsCommonAbstraction(folder!))
                lonely.Add($"Common/{folder} (used by: {string.Join(", ", users.DefaultIfEmpty("nothing"))})");
        }
        Assert.True(lonely.Count == 0, "area-only code in Common/: " + string.Join("; ", lonely));
    }

    /// <summary>
    /// A slice may send another area's request through Mediator, as it would call any other service; it does not build
    /// on another area's code. The one such message today: the seed's admin <c>delete_token</c> redeems the code the way
    /// the account slice does.
    /// </summary>
    private static readonly HashSet<(string From, string To)> Messages = [("Admin", "Accounts")];

    [Fact]
    public void No_area_builds_on_another_area_s_code()
    {
        var areas = Directory.GetDirectories(Features).Select(Path.GetFileName).Where(a => a is not ("Common" or "bin" or "obj")).ToHashSet();
        var uses = new Regex(@"\bIhui\.Features\.(?<area>[A-Za-z]+)\b");
        var crossings = Directory.EnumerateFiles(Features, "*.cs", SearchOption.AllDirectories)
            .Where(f => OwnerOf(f) is var owner && areas.Contains(owner))
            .SelectMany(f => uses.Matches(File.ReadAllText(f)).Select(m => (From: OwnerOf(f), To: m.Groups["area"].Value, File: Path.GetRelativePath(Root, f))))
            .Where(c => c.To != c.From && areas.Contains(c.To) && !Messages.Contains((c.From, c.To)))
            .Select(c => $"{c.File} uses {c.To}")
            .Distinct()
            .ToList();
        Assert.True(crossings.Count == 0, "code one area takes from another belongs in Common/: " + string.Join("; ", crossings));
    }

    /// <summary>
    /// A folder of adapters behind another common folder's interface (Redis behind the limit, login and task-event
    /// stores) serves that code though nothing names it; the host's installer and seeder hooks do not count.
    /// </summary>
    private static bool ImplementsCommonAbstraction(string folder) =>
        typeof(FeaturesAssembly).Assembly.GetTypes()
            .Where(t => t.Namespace == $"Ihui.Features.Common.{folder}")
            .SelectMany(t => t.GetInterfaces())
            .Any(i => i.Namespace is { } ns && ns.StartsWith("Ihui.Features.Common.") && ns != $"Ihui.Features.Common.{folder}" && ns != "Ihui.Features.Common.Hosting");

    /// <summary><c>Common/X</c> for common code, the area's top folder otherwise, <c>host</c> for Ihui.Api.</summary>
    private static string OwnerOf(string file)
    {
        if (!file.StartsWith(Features)) return "host";
        var parts = Path.GetRelativePath(Features, file).Split(Path.DirectorySeparatorChar);
        return parts[0] == "Common" && parts.Length > 2 ? $"Common/{parts[1]}" : parts[0];
    }

    [Fact]
    public void The_readme_pipeline_table_names_the_marker_of_every_behaviour()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var table = readme[readme.IndexOf("| # | behaviour |", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var behaviours = typeof(FeaturesAssembly).Assembly.GetTypes()
            .Where(t => t.IsGenericTypeDefinition && t.GetInterfaces().Any(i => i.IsGenericType &&
                (i.GetGenericTypeDefinition() == typeof(IPipelineBehavior<,>) || i.GetGenericTypeDefinition() == typeof(IStreamPipelineBehavior<,>))))
            .ToList();
        Assert.Contains(behaviours, b => b.Name.StartsWith("PicTimesBehaviour"));
        var missing = behaviours
            .SelectMany(b => b.GetGenericArguments()[0].GetGenericParameterConstraints()
                .Where(c => c.Namespace?.StartsWith("Ihui.") == true)
                .Select(c => (Behaviour: b.Name, Marker: c.Name)))
            .Where(m => !table.Contains($"`{m.Marker}`"))
            .Select(m => $"{m.Behaviour} ({m.Marker})")
            .ToList();
        Assert.True(missing.Count == 0, "behaviours missing from the README's pipeline table: " + string.Join(", ", missing));
    }
}
