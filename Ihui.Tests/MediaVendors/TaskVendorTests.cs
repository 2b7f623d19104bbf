using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Features.Common.Vendors.Jimeng;
using Ihui.Features.Common.Vendors.Kling;
using Ihui.Features.Common.Vendors.Suno;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ihui.Tests.MediaVendors;

/// <summary>Each <see cref="ITaskVendor"/> driven against its fake: submit, poll through the states, success/failure/garbage, auth.</summary>
public sealed class TaskVendorTests(MediaVendorsApp app) : IClassFixture<MediaVendorsApp>, IDisposable
{
    public void Dispose() => app.ResetFakes();

    private ITaskVendor Vendor(string kind) => app.Services.GetServices<ITaskVendor>().Single(v => v.Kind == kind);

    /// <summary>Routing as the host builds it, from <paramref name="config"/> alone (each vendor's default channel).</summary>
    private ChannelRouter RouterFor(IConfiguration config) => new(config, ChannelSettings.From(config), app.Services.GetRequiredService<ChannelStore>(),
        app.Services.GetRequiredService<IHttpClientFactory>(), NullLogger<ChannelRouter>.Instance, TimeProvider.System);

    private static async Task<List<VendorTaskSnapshot>> PollToEndAsync(ITaskVendor vendor, VendorTaskRef id, JsonElement payload)
    {
        var seen = new List<VendorTaskSnapshot>();
        for (var i = 0; i < 10; i++)
        {
            var s = await vendor.PollAsync(id, payload, CancellationToken.None);
            seen.Add(s);
            if (s.State.IsTerminal()) break;
        }
        return seen;
    }

    [Fact]
    public void The_task_vendors_are_registered_once_each()
    {
        var kinds = app.Services.GetServices<ITaskVendor>().Select(v => v.Kind).ToList();
        Assert.Equal(kinds.Count, kinds.Distinct(StringComparer.Ordinal).Count());
        Assert.Subset(kinds.ToHashSet(), new HashSet<string> { "jimeng.video", "kling.text2video", "suno.music" });
    }

    // ---------- Jimeng ----------

    [Theory]
    [InlineData("jimeng_t2v_v30_1080p", 0, 10, 241)]
    [InlineData("jimeng_i2v_first_v30", 1, 5, 121)]
    [InlineData("jimeng_i2v_first_tail_v30", 2, 5, 121)]
    [InlineData("jimeng_i2v_recamera_v30", 1, 5, 121)]
    public async Task Jimeng_submits_signed_and_polls_in_queue_generating_done(string reqKey, int images, int seconds, int frames)
    {
        var payload = JimengVideoPayload.Build(reqKey, "一只猫在月球上跳舞",
            Enumerable.Range(0, images).Select(i => $"https://example.com/{i}.png").ToList(), seconds);
        var vendor = Vendor(JimengVideoTaskVendor.TaskKind);

        var id = await vendor.SubmitAsync(payload, CancellationToken.None);
        var states = await PollToEndAsync(vendor, id, payload);

        Assert.Equal([TaskState.Queued, TaskState.Running, TaskState.Succeeded], states.Select(s => s.State).ToArray());
        Assert.Equal([app.Jimeng.VideoUrl], states[^1].ResultUrls);
        Assert.Equal(seconds, states[^1].Usage!.Value.Seconds);
        var submit = app.Jimeng.Received.First();
        Assert.Equal("?Action=CVSync2AsyncSubmitTask&Version=2022-08-31", submit.Query);
        Assert.StartsWith($"HMAC-SHA256 Credential={MediaVendorsApp.JimengAk}/", submit.Headers["Authorization"]);
        Assert.Contains("SignedHeaders=host;x-content-sha256;x-date,", submit.Headers["Authorization"]);
        using var body = JsonDocument.Parse(submit.Body);
        Assert.Equal(reqKey, body.RootElement.GetProperty("req_key").GetString());
        Assert.Equal(frames, body.RootElement.GetProperty("frames").GetInt32());
        Assert.Equal(images, body.RootElement.TryGetProperty("image_urls", out var urls) ? urls.GetArrayLength() : 0);
        using var poll = JsonDocument.Parse(app.Jimeng.Received[1].Body);
        Assert.Equal((reqKey, id.TaskId), (poll.RootElement.GetProperty("req_key").GetString(), poll.RootElement.GetProperty("task_id").GetString()));
        Assert.Equal("env-jimeng", id.ChannelId);
        Assert.DoesNotContain(MediaVendorsApp.JimengSk, string.Join("", app.Jimeng.Received.Select(r => string.Join(",", r.Headers.Values) + r.Body)));
    }

    [Theory]
    [InlineData("not_found", TaskState.Failed)]
    [InlineData("expired", TaskState.Expired)]
    public async Task Jimeng_terminal_failures_are_mapped(string status, TaskState expected)
    {
        app.Jimeng.Script.Reset("in_queue", status);
        var payload = JimengVideoPayload.Build("jimeng_t2v_v30_1080p", "海浪", [], 5);
        var vendor = Vendor(JimengVideoTaskVendor.TaskKind);
        var states = await PollToEndAsync(vendor, await vendor.SubmitAsync(payload, CancellationToken.None), payload);
        Assert.Equal([TaskState.Queued, expected], states.Select(s => s.State).ToArray());
        Assert.NotNull(states[^1].Error);
        Assert.Null(states[^1].ResultUrls);
    }

    [Theory]
    [InlineData(50429, 429)]
    [InlineData(50411, 502)]
    public async Task Jimeng_business_codes_other_than_10000_are_errors(int code, int status)
    {
        app.Jimeng.BusinessCode = code;
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            Vendor(JimengVideoTaskVendor.TaskKind).SubmitAsync(JimengVideoPayload.Build("jimeng_t2v_v30_1080p", "海浪", [], 5), CancellationToken.None));
        Assert.Equal(status, e.Status);
        Assert.Contains("jimeng", e.Message);
    }

    [Fact]
    public async Task Jimeng_unknown_req_key_is_refused_before_any_vendor_call()
    {
        var payload = JsonSerializer.SerializeToElement(new { req_key = "jimeng_t2i_v40", prompt = "x" });
        var e = await Assert.ThrowsAsync<ApiException>(() => Vendor(JimengVideoTaskVendor.TaskKind).SubmitAsync(payload, CancellationToken.None));
        Assert.Equal(400, e.Status);
        Assert.Contains("req_key", e.Message);
        Assert.Throws<ApiException>(() => JimengVideoPayload.Build("jimeng_t2i_v40", "x", [], 5));
        Assert.Empty(app.Jimeng.Received);
    }

    [Theory]
    [InlineData("jimeng_i2v_first_tail_v30", 1, 5, null, null)]
    [InlineData("jimeng_t2v_v30_1080p", 1, 5, null, null)]
    [InlineData("jimeng_t2v_v30_1080p", 0, 7, null, null)]
    [InlineData("jimeng_t2v_v30_1080p", 0, 5, "aspect_ratio", "2:1")]
    [InlineData("jimeng_t2v_v30_1080p", 0, 5, "template_id", "robo_arm")]
    [InlineData("jimeng_i2v_first_v30", 1, 5, "callback_url", "http://evil")]
    [InlineData("jimeng_i2v_first_v30", 1, 5, "seed", "abc")]
    public void Jimeng_payload_rejects_bad_combinations(string reqKey, int images, int seconds, string? name, string? value)
    {
        var extra = name is null ? null : new Dictionary<string, string> { [name] = value! };
        var e = Assert.Throws<ApiException>(() => JimengVideoPayload.Build(reqKey, "p",
            Enumerable.Range(0, images).Select(i => $"https://e.com/{i}.png").ToList(), seconds, extra));
        Assert.Equal(400, e.Status);
    }

    [Fact]
    public void Jimeng_payload_passes_allowed_zidingyican_through()
    {
        var payload = JimengVideoPayload.Build("jimeng_i2v_recamera_v30", "p", ["https://e.com/a.png"], 10,
            new Dictionary<string, string> { ["template_id"] = "hitchcock_dolly_in", ["camera_strength"] = "strong", ["seed"] = "42" });
        Assert.Equal("hitchcock_dolly_in", payload.GetProperty("template_id").GetString());
        Assert.Equal("strong", payload.GetProperty("camera_strength").GetString());
        Assert.Equal(42, payload.GetProperty("seed").GetInt64());
        Assert.Equal(241, payload.GetProperty("frames").GetInt32());
    }

    [Fact]
    public async Task Jimeng_malformed_body_is_a_502()
    {
        app.Jimeng.Mode = FakeMode.Malformed;
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            Vendor(JimengVideoTaskVendor.TaskKind).PollAsync(new VendorTaskRef("7000", null), JimengVideoPayload.Build("jimeng_t2v_v30_1080p", "p", [], 5), CancellationToken.None));
        Assert.Equal(502, e.Status);
    }

    private JimengClient JimengWith(string secret, TimeSpan clockOffset)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DOUBAO_JM_API_KEY"] = MediaVendorsApp.JimengAk, ["DOUBAO_JM_SECRET_KEY"] = secret, ["JIMENG_BASE_URL"] = app.Jimeng.BaseUrl,
        }).Build();
        return new JimengClient(RouterFor(config), new ShiftedClock(clockOffset));
    }

    [Theory]
    [InlineData("d3Jvbmctc2VjcmV0LWtleS1mb3ItdGVzdHM=", 0)]
    [InlineData(MediaVendorsApp.JimengSk, -20)]
    [InlineData(MediaVendorsApp.JimengSk, 20)]
    public async Task Jimeng_refuses_a_bad_or_stale_signature_and_the_gateway_maps_it_to_502_without_secrets(string secret, int minutes)
    {
        var client = JimengWith(secret, TimeSpan.FromMinutes(minutes));
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            client.SubmitAsync(JimengVideoPayload.Build("jimeng_t2v_v30_1080p", "p", [], 5), CancellationToken.None));
        Assert.Equal(502, e.Status);
        Assert.Contains("DOUBAO_JM_API_KEY", e.Message);
        Assert.DoesNotContain(secret, e.Message);
        Assert.DoesNotContain("Signature=", e.Message);
        Assert.Single(app.Jimeng.Received);
    }

    [Fact]
    public async Task Jimeng_signature_within_the_allowed_skew_is_accepted()
    {
        var client = JimengWith(MediaVendorsApp.JimengSk, TimeSpan.FromMinutes(-5));
        Assert.NotEmpty((await client.SubmitAsync(JimengVideoPayload.Build("jimeng_t2v_v30_1080p", "p", [], 5), CancellationToken.None)).TaskId);
    }

    [Fact]
    public async Task Jimeng_without_a_secret_is_503_naming_the_variable_and_calls_nothing()
    {
        var client = JimengWith("", TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            client.SubmitAsync(JimengVideoPayload.Build("jimeng_t2v_v30_1080p", "p", [], 5), CancellationToken.None));
        Assert.Equal((503, true), (e.Status, e.Message.Contains("DOUBAO_JM_SECRET_KEY")));
        Assert.Empty(app.Jimeng.Received);
    }

    // ---------- Kling ----------

    [Fact]
    public async Task Kling_creates_with_a_fresh_jwt_and_polls_submitted_processing_succeed()
    {
        var payload = KlingTextToVideoPayload.Build("kling-v2-6", "城市夜景延时", 5, new Dictionary<string, string> { ["mode"] = "pro", ["cfg_scale"] = "0.5" });
        var vendor = Vendor(KlingTextToVideoTaskVendor.TaskKind);

        var id = await vendor.SubmitAsync(payload, CancellationToken.None);
        var states = await PollToEndAsync(vendor, id, payload);

        Assert.Equal([TaskState.Queued, TaskState.Running, TaskState.Succeeded], states.Select(s => s.State).ToArray());
        Assert.Equal([app.Kling.VideoUrl], states[^1].ResultUrls);
        Assert.Equal(5.1m, states[^1].Usage!.Value.Seconds);
        var create = app.Kling.Received.First();
        Assert.Equal("/v1/videos/text2video", create.Path);
        using var body = JsonDocument.Parse(create.Body);
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("duration").ValueKind);
        Assert.Equal(("kling-v2-6", "5", "pro"), (body.RootElement.GetProperty("model_name").GetString(),
            body.RootElement.GetProperty("duration").GetString(), body.RootElement.GetProperty("mode").GetString()));
        Assert.Equal($"/v1/videos/text2video/{id.TaskId}", app.Kling.Received[1].Path);
        Assert.Equal("env-kling", id.ChannelId);
    }

    [Fact]
    public async Task Kling_failed_task_carries_the_vendor_reason()
    {
        app.Kling.Script.Reset("processing", "failed");
        var payload = KlingTextToVideoPayload.Build("kling-v2-6", "p", 10);
        var vendor = Vendor(KlingTextToVideoTaskVendor.TaskKind);
        var states = await PollToEndAsync(vendor, await vendor.SubmitAsync(payload, CancellationToken.None), payload);
        Assert.Equal([TaskState.Running, TaskState.Failed], states.Select(s => s.State).ToArray());
        Assert.Contains("content policy", states[^1].Error);
    }

    [Fact]
    public async Task Kling_success_without_video_is_a_failure_and_garbage_is_a_502()
    {
        app.Kling.Script.Reset("succeed");
        app.Kling.VideoUrl = "";
        var vendor = Vendor(KlingTextToVideoTaskVendor.TaskKind);
        var payload = KlingTextToVideoPayload.Build("kling-v2-6", "p", 5);
        var task = await vendor.SubmitAsync(payload, CancellationToken.None);
        Assert.Equal(TaskState.Failed, (await vendor.PollAsync(task, payload, CancellationToken.None)).State);
        app.Kling.VideoUrl = "https://cdn.example.com/kling/video.mp4";

        app.Kling.Mode = FakeMode.Malformed;
        Assert.Equal(502, (await Assert.ThrowsAsync<ApiException>(() => vendor.PollAsync(task, payload, CancellationToken.None))).Status);
    }

    [Theory]
    [InlineData(1303, 429)]
    [InlineData(1102, 502)]
    public async Task Kling_business_codes_are_mapped(int code, int status)
    {
        app.Kling.BusinessCode = code;
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            Vendor(KlingTextToVideoTaskVendor.TaskKind).SubmitAsync(KlingTextToVideoPayload.Build("kling-v2-6", "p", 5), CancellationToken.None));
        Assert.Equal(status, e.Status);
    }

    private KlingClient KlingWith(string secret, TimeSpan clockOffset)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KLING_ACCESS_KEY"] = MediaVendorsApp.KlingAk, ["KLING_SECRET_KEY"] = secret, ["KLING_BASE_URL"] = app.Kling.BaseUrl,
        }).Build();
        return new KlingClient(RouterFor(config), new ShiftedClock(clockOffset));
    }

    [Theory]
    [InlineData("00000000000000000000000000000000", 0)]
    [InlineData(MediaVendorsApp.KlingSk, -31)]
    [InlineData(MediaVendorsApp.KlingSk, 2)]
    public async Task Kling_refuses_a_bad_expired_or_not_yet_valid_token_mapped_to_502_without_secrets(string secret, int minutes)
    {
        var client = KlingWith(secret, TimeSpan.FromMinutes(minutes));
        var e = await Assert.ThrowsAsync<ApiException>(() => client.CreateAsync("text2video", KlingTextToVideoPayload.Build("kling-v2-6", "p", 5), CancellationToken.None));
        Assert.Equal(502, e.Status);
        Assert.Contains("KLING_ACCESS_KEY", e.Message);
        Assert.DoesNotContain(secret, e.Message);
        Assert.DoesNotContain("eyJ", e.Message);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    public void Kling_payload_rejects_bad_durations(int seconds) =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => KlingTextToVideoPayload.Build("kling-v2-6", "p", seconds)).Status);

    [Theory]
    [InlineData("callback_url", "http://x")]
    [InlineData("cfg_scale", "2")]
    [InlineData("mode", "ultra")]
    public void Kling_payload_rejects_unknown_or_bad_zidingyican(string name, string value) =>
        Assert.Equal(400, Assert.Throws<ApiException>(() =>
            KlingTextToVideoPayload.Build("kling-v2-6", "p", 5, new Dictionary<string, string> { [name] = value })).Status);

    // ---------- Suno ----------

    [Fact]
    public async Task Suno_submits_music_and_polls_to_the_clip_audio_url()
    {
        var payload = SunoMusicPayload.Build("suno-v3", "一首关于月亮的流行歌", "pop", new Dictionary<string, string> { ["title"] = "Moon" });
        var vendor = Vendor(SunoMusicTaskVendor.TaskKind);

        var id = await vendor.SubmitAsync(payload, CancellationToken.None);
        var states = await PollToEndAsync(vendor, id, payload);

        Assert.Equal([TaskState.Queued, TaskState.Queued, TaskState.Running, TaskState.Succeeded], states.Select(s => s.State).ToArray());
        Assert.Equal(40, states[2].Progress);
        Assert.Equal([app.Suno.AudioUrl], states[^1].ResultUrls);
        var submit = app.Suno.Received.First();
        Assert.Equal(("/suno/submit/music", $"Bearer {MediaVendorsApp.SunoKey}"), (submit.Path, submit.Headers["Authorization"]));
        using var body = JsonDocument.Parse(submit.Body);
        Assert.Equal(("chirp-v3-0", "pop", "Moon"), (body.RootElement.GetProperty("mv").GetString(),
            body.RootElement.GetProperty("tags").GetString(), body.RootElement.GetProperty("title").GetString()));
        Assert.Equal("一首关于月亮的流行歌", body.RootElement.GetProperty("gpt_description_prompt").GetString());
    }

    [Theory]
    [InlineData("FAILURE")]
    [InlineData("UNKNOWN")]
    public async Task Suno_failure_states_are_terminal_failures(string status)
    {
        app.Suno.Script.Reset("IN_PROGRESS", status);
        var payload = SunoMusicPayload.Build("suno-v3", "p", null);
        var vendor = Vendor(SunoMusicTaskVendor.TaskKind);
        var states = await PollToEndAsync(vendor, await vendor.SubmitAsync(payload, CancellationToken.None), payload);
        Assert.Equal([TaskState.Running, TaskState.Failed], states.Select(s => s.State).ToArray());
    }

    [Fact]
    public async Task Suno_bad_key_garbage_and_errors_are_502s()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SUNO_API_KEY"] = "sk-wrong-suno", ["SUNO_BASE_URL"] = app.Suno.BaseUrl,
        }).Build();
        var wrong = new SunoClient(RouterFor(config));
        var e = await Assert.ThrowsAsync<ApiException>(() => wrong.SubmitMusicAsync(SunoMusicPayload.Build("suno-v3", "p", null), CancellationToken.None));
        Assert.Equal(502, e.Status);
        Assert.Contains("SUNO_API_KEY", e.Message);
        Assert.DoesNotContain("sk-wrong-suno", e.Message);

        app.Suno.Mode = FakeMode.Malformed;
        Assert.Equal(502, (await Assert.ThrowsAsync<ApiException>(() =>
            Vendor(SunoMusicTaskVendor.TaskKind).PollAsync(new VendorTaskRef("x", null), SunoMusicPayload.Build("suno-v3", "p", null), CancellationToken.None))).Status);
    }

    [Fact]
    public async Task Suno_without_a_base_url_is_503_naming_it()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["SUNO_API_KEY"] = "k" }).Build();
        var client = new SunoClient(RouterFor(config));
        var e = await Assert.ThrowsAsync<ApiException>(() => client.SubmitMusicAsync(SunoMusicPayload.Build("suno-v3", "p", null), CancellationToken.None));
        Assert.Equal((503, true), (e.Status, e.Message.Contains("SUNO_BASE_URL")));
    }

    [Fact]
    public void Suno_payload_refuses_unknown_models_and_parameters()
    {
        Assert.Equal(400, Assert.Throws<ApiException>(() => SunoMusicPayload.Build("suno-v9", "p", null)).Status);
        Assert.Equal(400, Assert.Throws<ApiException>(() =>
            SunoMusicPayload.Build("suno-v3", "p", null, new Dictionary<string, string> { ["continue_clip_id"] = "x" })).Status);
    }
}
