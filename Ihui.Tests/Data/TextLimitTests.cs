using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.CompilerServices;
using Dapper;
using Ihui.Features;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Validation;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Data;

/// <summary>
/// Every text field has a maximum the validation behaviour enforces, the same on both stores; a call row always fits
/// the calls table (on MariaDB a chat_id over 128 characters once lost the row of a billed call, and was a 500 on the
/// task routes).
/// </summary>
public sealed class TextLimitTests(IhuiApp app) : IClassFixture<IhuiApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public void Every_text_field_of_every_request_has_a_maximum()
    {
        var requests = typeof(FeaturesAssembly).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(Mediator.IMessage).IsAssignableFrom(t))
            .ToList();
        Assert.True(requests.Count > 50, $"only {requests.Count} request types");
        var checkedFields = 0;
        foreach (var type in requests)
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string) && p.SetMethod is not null))
            {
                var max = TextLimits.MaxFor(p.Name);
                Assert.InRange(max, 1, TextLimits.MaxImageChars);
                var message = RuntimeHelpers.GetUninitializedObject(type);
                p.SetValue(message, new string('a', max));
                Assert.Null(TextLimits.Problems(message)?.Where(e => e.Type == "string_too_long" && e.Field != "chat_id"));
                p.SetValue(message, new string('a', max + 1));
                Assert.Contains(TextLimits.Problems(message) ?? [], e => e.Type == "string_too_long");
                checkedFields++;
            }
        Assert.True(checkedFields > 200, $"only {checkedFields} text fields");
    }

    public static TheoryData<string, string> TaskRoutes => new()
    {
        { "/cozeZhsApi/luyala/video/create", """{"prompt":"a cat"}""" },
        { "/cozeZhsApi/proxy/video-generation", """{"prompt":"a cat"}""" },
        { "/cozeZhsApi/dashscope/vision/chat", """{"prompt":"what is here?","image_urls":["https://example.com/a.png"],"model":"qwen-vl-max"}""" },
    };

    [Theory]
    [MemberData(nameof(TaskRoutes))]
    public async Task A_chat_id_over_128_characters_is_a_400_naming_it_and_charges_nothing(string route, string body)
    {
        var user = await app.CreateUserAsync(1_000_000);
        var json = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        json["user_uuid"] = user.Id;
        json["chat_id"] = new string('c', 129);
        var response = await _http.PostAsync(route, new StringContent(json.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await IhuiApp.JsonAsync(response);
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Contains("chat_id: must be at most 128 characters", error.GetProperty("msg").GetString());
        Assert.Equal(1_000_000, await app.BalanceAsync(user.Id));
        Assert.Equal(1_000_000, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task A_billed_call_with_a_128_character_chat_id_is_charged_and_has_its_call_row()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var chatId = new string('c', 127) + "z";
        var response = await _http.PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat",
            new { prompt = "what is here?", image_urls = new[] { "https://example.com/a.png" }, model = "qwen-vl-max", user_uuid = user.Id, chat_id = chatId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.Services.GetRequiredService<CallLogStore>().FlushAsync();

        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        var (rowChatId, charged) = await c.QuerySingleAsync<(string, long)>("SELECT chat_id, charged FROM calls WHERE user_id = @Id", new { user.Id });
        Assert.Equal(chatId, rowChatId);
        Assert.True(charged > 0);
        Assert.Equal(1_000_000 - charged, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task A_row_whose_text_is_wider_than_its_columns_is_written_cut_to_them()
    {
        var store = app.Services.GetRequiredService<CallLogStore>();
        var id = Guid.NewGuid().ToString("N");
        // The 128th character starts a surrogate pair (an emoji): the cut keeps whole characters.
        var chatId = new string('c', 127) + "😀" + new string('d', 200);
        store.Enqueue(new CallRow
        {
            Id = id, UserId = "u-" + new string('u', 60), ChatId = chatId, Route = "/test/" + new string('r', 400), Vendor = new string('v', 100),
            Model = new string('m', 300), Status = "failed-" + new string('s', 30), ErrorMessage = new string('e', 5000),
            StartedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow,
        });
        await store.FlushAsync();

        var row = await store.FindAsync(id);
        Assert.NotNull(row);
        Assert.Equal(new string('c', 127), row.ChatId);
        Assert.Equal(("/test/" + new string('r', 400))[..255], row.Route);
        Assert.Equal((36, 64, 128, 16, 1024), (row.UserId!.Length, row.Vendor!.Length, row.Model!.Length, row.Status.Length, row.ErrorMessage!.Length));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(id, StringComparison.Ordinal));
    }
}
