using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Http;
using Ihui.Tests.Accounts;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Host;

/// <summary>
/// Every JSON route the OpenAPI document lists, sent bodies whose fields (and the fields of their list items) hold the
/// wrong thing: null, a list of nulls, an empty object, a number where text belongs… The caller is authenticated the
/// way each route wants, so the bodies get past auth to binding and validation. None may be answered with a 500 (an
/// unhandled error): a field error is a 400, and a vendor that is not configured here is a 502/503. Text no JSON value
/// may hold (a lone surrogate, an invalid escape) must be a 400 on every route.
/// </summary>
public sealed class HostileBodyTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private static readonly string[] Hostile =
        ["null", "[null]", "[{}]", "[[]]", "{}", "{\"a\":null}", "\"\"", "\"x\"", "0", "-1", "1e308", "true"];

    /// <summary>Values no JSON node can hold, put into the body text as they are: lone surrogates, invalid escapes (InvalidText).</summary>
    private static readonly string[] Raw = [.. InvalidText.Literals, "[" + InvalidText.Literals[0] + "]"];

    private const string RawMark = "\"__raw__\"";

    [Fact]
    public async Task No_route_answers_a_hostile_body_with_a_500()
    {
        var http = app.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(20);
        var user = await app.CreateUserAsync(1_000_000_000);
        var created = await http.PostAsync("/api/keys",
            new StringContent($"{{\"user_uuid\":\"{user.Id}\",\"name\":\"hostile\"}}", Encoding.UTF8, "application/json"));
        var apiKey = (await IhuiApp.JsonAsync(created)).GetProperty("data").GetProperty("key").GetString()!;
        var adminToken = await app.RootTokenAsync();
        var walletToken = await app.WalletTokenAsync();
        var identity = new Dictionary<string, string> { ["user_uuid"] = user.Id, ["uuid"] = user.Id, ["username"] = user.Username };

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        var swept = new HashSet<string>();
        var sent = 0;
        var admitted = 0;
        var failures = new List<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        foreach (var method in (string[])["post", "put"])
        {
            if (!path.Value.TryGetProperty(method, out var post) || !post.TryGetProperty("requestBody", out var requestBody)
                || !requestBody.GetProperty("content").TryGetProperty("application/json", out var json)
                || Ref(json.GetProperty("schema")) is not { } bodySchema)
                continue;
            swept.Add($"{method} {path.Name}");
            var route = path.Name.Replace("{model}", "qwen-image").Replace("{req_key}", "jimeng_i2v_first_v30").Replace("{task_id}", "t1");
            // Any other path parameter (a story platform id) gets a well-formed id that names nothing.
            route = System.Text.RegularExpressions.Regex.Replace(route, "{[a-z_]+}", new string('0', 24));
            foreach (var body in Bodies(schemas.GetProperty(bodySchema), schemas, identity))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), route)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                if (route.StartsWith("/admin/", StringComparison.Ordinal))
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
                else if (route.StartsWith("/api/v1/", StringComparison.Ordinal) && !route.Contains("chat/completions", StringComparison.Ordinal))
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", walletToken);
                else if (route.Contains("chat/completions", StringComparison.Ordinal) && !route.Contains("luyala", StringComparison.Ordinal))
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                var response = await http.SendAsync(request);
                sent++;
                if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)) admitted++;
                if (response.StatusCode == HttpStatusCode.InternalServerError) failures.Add($"{route} {body}");
                // Malformed text is FastAPI's 422 json_invalid on seed 003's /api/v1 routes, a 400 everywhere else.
                var malformed = Envelope.UsesFastApiErrors(route) ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.BadRequest;
                if (Raw.Any(body.Contains) && response.StatusCode != malformed) failures.Add($"{(int)response.StatusCode}, not {(int)malformed}: {route} {body}");
            }
        }

        Assert.True(swept.Count >= 30, $"only {swept.Count} JSON routes found in the OpenAPI document");
        // Routes that read their body themselves must still describe it (Accepts<T>), or the sweep cannot see them.
        Assert.Contains("post /cozeZhsApi/dashscope/audio/recognize", swept);
        Assert.Contains("post /v1/chat/completions", swept);
        Assert.Contains("post /admin/add_normal_user", swept);
        // Seed 003's platform: its JSON routes, writes (PUT) included.
        foreach (var route in (string[])["post /api/v1/auth/login", "post /api/v1/characters", "put /api/v1/characters/{character_id}",
                     "post /api/v1/story/publish", "put /api/v1/stories/{story_id}", "post /api/v1/story-templates", "put /api/v1/music/{music_id}",
                     "post /api/v1/system-prompt-posts", "post /api/v1/languages", "post /api/v1/character-avatar/create", "post /admin/models",
                     "post /api/v1/conversation", "post /api/v1/story_chat/history-messages",
                     "post /api/v1/story_chat/select-speakers", "post /api/v1/story_chat/generate-response",
                     "post /api/v1/ai/i2t/chat/completions", "post /api/v1/ai/t2i/submit",
                     "post /api/v1/character-avatar/generate", "post /api/v1/llm/generate/story-background-image"])
            Assert.Contains(route, swept);
        Assert.True(sent > 1000, $"only {sent} bodies sent");
        Assert.True(admitted > sent * 9 / 10, $"only {admitted} of {sent} bodies got past auth");
        Assert.Empty(failures);
    }

    private static readonly string[] HostileText =
        ["", "-1", "0", "99999999999999999999", "1e308", "NaN", "null", "[]", "' OR 1=1 --", "..%2F..%2Fetc%2Fpasswd", "%00", new('a', 5000)];

    [Fact]
    public async Task No_route_answers_a_hostile_query_header_or_path_value_with_a_500()
    {
        var http = app.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(20);
        var user = await app.CreateUserAsync(1_000_000_000);
        var adminToken = await app.RootTokenAsync();
        var walletToken = await app.WalletTokenAsync();
        var identity = new Dictionary<string, string> { ["user_uuid"] = user.Id, ["uuid"] = user.Id, ["username"] = user.Username };

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var sent = 0;
        var admitted = 0;
        var failures = new List<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is not ("get" or "post" or "put" or "delete") || !operation.Value.TryGetProperty("parameters", out var parameters)) continue;
                var all = parameters.EnumerateArray().Select(p => (Name: p.GetProperty("name").GetString()!, In: p.GetProperty("in").GetString()!)).ToList();
                foreach (var (target, targetIn) in all)
                    foreach (var hostile in HostileText)
                    {
                        string Value(string name, string where) => name == target && where == targetIn ? hostile : identity.GetValueOrDefault(name, "x");
                        var route = path.Name;
                        var query = new List<string>();
                        foreach (var (name, where) in all)
                        {
                            if (where == "path") route = route.Replace("{" + name + "}", Uri.EscapeDataString(Value(name, where)));
                            else if (where == "query") query.Add($"{name}={Uri.EscapeDataString(Value(name, where))}");
                        }
                        using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), route + "?" + string.Join('&', query));
                        foreach (var (name, where) in all.Where(p => p.In == "header"))
                            request.Headers.TryAddWithoutValidation(name, Value(name, where));
                        if (operation.Name is "post" or "put") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                        if (route.StartsWith("/admin/", StringComparison.Ordinal))
                            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
                        else if (route.StartsWith("/api/v1/", StringComparison.Ordinal) && !route.Contains("chat/completions", StringComparison.Ordinal))
                            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", walletToken);
                        var response = await http.SendAsync(request);
                        sent++;
                        if (target is not ("user_uuid" or "uuid" or "username") && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                            admitted++;
                        if (response.StatusCode == HttpStatusCode.InternalServerError) failures.Add($"{operation.Name} {request.RequestUri} ({target})");
                    }
            }

        Assert.True(sent > 300, $"only {sent} requests sent");
        Assert.True(admitted > 150, $"only {admitted} requests with a hostile value other than the caller's identity got past auth");
        Assert.Empty(failures);
    }

    /// <summary>The schema name a <c>$ref</c> (direct, in <c>items</c> or in a <c>oneOf</c>) points at.</summary>
    private static string? Ref(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var r)) return r.GetString()!.Split('/')[^1];
        if (schema.TryGetProperty("items", out var items)) return Ref(items);
        if (schema.TryGetProperty("oneOf", out var oneOf))
            foreach (var option in oneOf.EnumerateArray())
                if (Ref(option) is { } name) return name;
        return null;
    }

    /// <summary>
    /// A body per (field, hostile value), the other fields left out and the caller's identity filled in; and for a field
    /// whose value is an object or a list of objects, the same one level down, in a list of one item.
    /// </summary>
    private static IEnumerable<string> Bodies(JsonElement schema, JsonElement schemas, Dictionary<string, string> identity)
    {
        if (!schema.TryGetProperty("properties", out var properties)) yield break;
        JsonObject Base()
        {
            var o = new JsonObject();
            foreach (var p in properties.EnumerateObject())
                if (identity.TryGetValue(p.Name, out var value)) o[p.Name] = value;
            return o;
        }
        yield return Base().ToJsonString();
        foreach (var p in properties.EnumerateObject())
        {
            if (identity.ContainsKey(p.Name)) continue;
            foreach (var hostile in Hostile)
            {
                var body = Base();
                body[p.Name] = JsonNode.Parse(hostile);
                yield return body.ToJsonString();
            }
            foreach (var raw in Raw)
            {
                var body = Base();
                body[p.Name] = "__raw__";
                yield return body.ToJsonString().Replace(RawMark, raw, StringComparison.Ordinal);
            }
            if (Ref(p.Value) is not { } inner || !schemas.GetProperty(inner).TryGetProperty("properties", out var innerProperties)) continue;
            var isList = p.Value.TryGetProperty("items", out _);
            foreach (var q in innerProperties.EnumerateObject())
            {
                foreach (var hostile in Hostile)
                {
                    var item = new JsonObject { [q.Name] = JsonNode.Parse(hostile) };
                    var body = Base();
                    body[p.Name] = isList ? new JsonArray(item) : item;
                    yield return body.ToJsonString();
                }
                foreach (var raw in Raw)
                {
                    var item = new JsonObject { [q.Name] = "__raw__" };
                    var body = Base();
                    body[p.Name] = isList ? new JsonArray(item) : item;
                    yield return body.ToJsonString().Replace(RawMark, raw, StringComparison.Ordinal);
                }
            }
        }
    }
}
