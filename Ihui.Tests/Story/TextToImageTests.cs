using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Story;

/// <summary>The story platform with the task engine on short timings (t2i tasks, avatars and backgrounds).</summary>
public sealed class TextToImageApp : StoryChatApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ChatSettings() => TasksApp.EngineSettings(poller: true, waitSeconds: 10);
}

/// <summary>Seed 003's t2i task: submit, poll, the images copied into Ihui's store, billing, failures refunded, ownership, 24 h.</summary>
public sealed class TextToImageTests(TextToImageApp app) : IClassFixture<TextToImageApp>
{
    private const string Submit = "/api/v1/ai/t2i/submit";

    private static async Task<JsonElement> PollAsync(Wallet w, string taskId)
    {
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var task = await StoryFixtures.Json(await w.Http.GetAsync($"/api/v1/ai/t2i/tasks/{taskId}"), HttpStatusCode.OK);
            if (task.GetProperty("status").GetString() is not ("queued" or "running")) return task;
            if (DateTime.UtcNow > end) throw new TimeoutException($"task {taskId} is still {task.GetProperty("status")}");
            await Task.Delay(50);
        }
    }

    private async Task<string> SubmitAsync(Wallet w, object body)
    {
        var task = await StoryFixtures.Json(await w.Http.PostAsJsonAsync(Submit, body), HttpStatusCode.OK);
        Assert.Equal("queued", task.GetProperty("status").GetString());
        Assert.Empty(task.GetProperty("image_urls").EnumerateArray());
        return task.GetProperty("task_id").GetString()!;
    }

    [Fact]
    public async Task A_task_is_drawn_by_the_vendor_copied_into_the_store_and_charged_once()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var before = app.Aggregator.Requests.Count;
        var taskId = await SubmitAsync(w, new { model_id = "302/flux-dev-1", prompt = "一只飞翔的老鹰", size = "1280*720" });

        var done = await PollAsync(w, taskId);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetInt32());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        Assert.Equal(100, done.GetProperty("charged").GetInt64());
        var url = done.GetProperty("image_urls").EnumerateArray().Single().GetString()!;
        Assert.StartsWith("https://cdn.story.example.com/api/v1/images/", url);
        Assert.EndsWith(".png", url);

        var sent = app.Aggregator.Requests.Skip(before).Single(r => r.Path == "/v1/images/generations");
        Assert.Equal("Bearer " + StoryChatApp.Ai302Key, sent.Headers["Authorization"]);
        var body = JsonNode.Parse(sent.Body)!;
        Assert.Equal(("flux-dev", "一只飞翔的老鹰", "1280x720", 1), (body["model"]!.GetValue<string>(), body["prompt"]!.GetValue<string>(), body["size"]!.GetValue<string>(), body["n"]!.GetValue<int>()));
        var vendorFile = app.Aggregator.Requests.Skip(before).Single(r => r.Path.StartsWith("/files/", StringComparison.Ordinal)).Path["/files/".Length..];

        // The vendor's URL expires; Ihui's copy is served, byte for byte.
        var original = app.Aggregator.Files[vendorFile];
        app.Aggregator.ExpireFiles();
        var copy = await app.CreateClient().GetAsync(new Uri(url).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        Assert.Equal("image/png", copy.Content.Headers.ContentType!.MediaType);
        Assert.Equal(original, await copy.Content.ReadAsByteArrayAsync());

        Assert.Equal(100, balance - await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
        var call = (await app.CallsAsync(w.UserId)).Single(c => c.Route == Submit);
        Assert.Equal(("succeeded", "302/flux-dev-1", 100L), (call.Status, call.Model, call.Reserved));
    }

    [Fact]
    public async Task Base64_answers_are_stored_too_and_the_default_size_is_square()
    {
        var w = await app.NewWalletAsync();
        var before = app.Aggregator.Requests.Count;
        app.Aggregator.ImagesAsBase64 = true;
        try
        {
            var done = await PollAsync(w, await SubmitAsync(w, new { model_id = "302/flux-schnell-1", prompt = "海边的灯塔" }));
            Assert.True(done.GetProperty("status").GetString() == "succeeded", done.ToString());
            var url = done.GetProperty("image_urls")[0].GetString()!;
            var copy = await app.CreateClient().GetAsync(new Uri(url).AbsolutePath);
            Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
            Assert.Contains(await copy.Content.ReadAsByteArrayAsync(), app.Aggregator.Files.Values);
        }
        finally
        {
            app.Aggregator.ImagesAsBase64 = false;
        }
        var sent = JsonNode.Parse(app.Aggregator.Requests.Skip(before).Single(r => r.Path == "/v1/images/generations").Body)!;
        Assert.Equal(("flux-schnell-1", "1024x1024"), (sent["model"]!.GetValue<string>(), sent["size"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(500, 3)]
    [InlineData(400, 1)]
    public async Task A_failing_vendor_fails_the_task_and_refunds_it(int status, int vendorCalls)
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var before = app.Aggregator.Requests.Count;
        app.Aggregator.Mode = FakeMode.Fail;
        app.Aggregator.FailStatus = status;
        JsonElement failed;
        try
        {
            failed = await PollAsync(w, await SubmitAsync(w, new { model_id = "302/flux-schnell-2", prompt = "城市夜景" }));
        }
        finally
        {
            (app.Aggregator.Mode, app.Aggregator.FailStatus) = (FakeMode.Normal, 500);
        }
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains(status == 400 ? "rejected the request" : "HTTP 500", failed.GetProperty("error").GetString());
        Assert.Empty(failed.GetProperty("image_urls").EnumerateArray());
        Assert.Equal(0, failed.GetProperty("charged").GetInt64());
        // TASK_MAX_POLL_ERRORS is 3 here: a vendor error is tried three times; a refused request once.
        Assert.Equal(vendorCalls, app.Aggregator.Requests.Skip(before).Count(r => r.Path == "/v1/images/generations"));
        Assert.Equal(balance, await app.BalanceAsync(w.UserId));
        Assert.Equal(balance, await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
    }

    [Fact]
    public async Task Bad_sizes_fields_and_models_are_refused_before_anything_is_held()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        foreach (var size in (string[])["512*512", "1024x1024", "1280*1280", ""])
        {
            var r = await w.Http.PostAsJsonAsync(Submit, new { model_id = "302/flux-schnell-1", prompt = "p", size });
            Assert.Contains("1024*1024, 720*1280, 1280*720", (await StoryFixtures.Json(r, HttpStatusCode.BadRequest)).GetProperty("error").GetProperty("message").GetString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Http.PostAsJsonAsync(Submit, new { model_id = "302/flux-schnell-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Http.PostAsJsonAsync(Submit, new { model_id = "302/flux-schnell-1", prompt = new string('p', 4001) })).StatusCode);
        foreach (var model in (string[])["no-such", "story-chat", "qwen-vl-plus-1", "302/flux-off"])
        {
            var r = await w.Http.PostAsJsonAsync(Submit, new { model_id = model, prompt = "p" });
            Assert.Equal("invalid_model", (await StoryFixtures.Json(r, HttpStatusCode.BadRequest)).GetProperty("error").GetProperty("code").GetString());
        }
        var anonymous = await app.CreateClient().PostAsJsonAsync(Submit, new { model_id = "302/flux-schnell-1", prompt = "p" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(balance, await app.BalanceAsync(w.UserId));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT COUNT(*) FROM tasks WHERE user_id = @u", new { u = w.UserId }));
    }

    [Fact]
    public async Task A_task_is_its_owners_alone_and_kept_24_hours()
    {
        var w = await app.NewWalletAsync();
        var other = await app.NewWalletAsync();
        var taskId = await SubmitAsync(w, new { model_id = "302/flux-schnell-1", prompt = "雪山" });
        Assert.Equal("succeeded", (await PollAsync(w, taskId)).GetProperty("status").GetString());

        var foreign = await other.Http.GetAsync($"/api/v1/ai/t2i/tasks/{taskId}");
        Assert.Equal("not_found", (await StoryFixtures.Json(foreign, HttpStatusCode.NotFound)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await w.Http.GetAsync("/api/v1/ai/t2i/tasks/task_nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/v1/ai/t2i/tasks/{taskId}")).StatusCode);

        await app.ExecuteAsync("UPDATE tasks SET created_at = @t WHERE id = @id", new { id = taskId, t = DateTime.UtcNow - TimeSpan.FromHours(23.9) });
        Assert.Equal(HttpStatusCode.OK, (await w.Http.GetAsync($"/api/v1/ai/t2i/tasks/{taskId}")).StatusCode);
        await app.ExecuteAsync("UPDATE tasks SET created_at = @t WHERE id = @id", new { id = taskId, t = DateTime.UtcNow - TimeSpan.FromHours(24) - TimeSpan.FromSeconds(5) });
        Assert.Equal(HttpStatusCode.NotFound, (await w.Http.GetAsync($"/api/v1/ai/t2i/tasks/{taskId}")).StatusCode);
    }

    [Fact]
    public async Task Another_kind_of_task_is_not_shown_here()
    {
        var w = await app.NewWalletAsync();
        var taskId = await SubmitAsync(w, new { model_id = "302/flux-schnell-1", prompt = "森林" });
        await PollAsync(w, taskId);
        await app.ExecuteAsync("UPDATE tasks SET route = '/cozeZhsApi/elsewhere' WHERE id = @id", new { id = taskId });
        Assert.Equal(HttpStatusCode.NotFound, (await w.Http.GetAsync($"/api/v1/ai/t2i/tasks/{taskId}")).StatusCode);
    }
}
